/**
 * The OCI runtime specification (config.json and state) as immutable records.
 *
 * <p>These records mirror the JSON of shared/specs/oci-runtime/config.md and config-linux.md
 * field for field. Optional scalar fields are boxed and {@code null} when absent from the JSON,
 * because the spec gives "absent" a meaning of its own (e.g. no memory limit); list and map
 * fields are never null, they are empty when absent. Reading and writing JSON is done by
 * {@code dev.berth.oci.runtime.json}; validation by {@link SpecValidator}.
 */
package dev.berth.oci.runtime;
