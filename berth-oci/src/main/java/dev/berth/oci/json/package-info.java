/**
 * JSON for berth's wire formats on the jackson-core streaming API only: {@link dev.berth.oci.json.Json}
 * turns text into a plain tree of maps, lists and scalars and back, formatted as Go's
 * {@code encoding/json} does; {@link dev.berth.oci.json.JsonObject} reads typed fields from that
 * tree with errors that name the JSON path. Translators between the tree and the records live
 * next to the records they serve (e.g. {@code dev.berth.oci.runtime.json}).
 */
package dev.berth.oci.json;
