/**
 * The runtime-spec JSON documents ↔ the records of {@code dev.berth.oci.runtime}: config.json
 * ({@link dev.berth.oci.runtime.json.SpecJson}), container state
 * ({@link dev.berth.oci.runtime.json.StateJson}) and features
 * ({@link dev.berth.oci.runtime.json.FeaturesJson}). Each writes exactly what runc writes for the
 * same data (field order, omissions, indentation), so berth's output can be diffed against runc's.
 */
package dev.berth.oci.runtime.json;
