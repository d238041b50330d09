package dev.berth.oci.runtime.json;

import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.runtime.Spec;

/**
 * config.json ↔ {@link Spec} (runtime-spec config.md and config-linux.md).
 *
 * <p>Reading is as lenient as runc's Go decoder where the spec allows it, and strict where a
 * wrong value could change what runs: unknown fields are ignored (newer specs add fields), absent
 * and null are the same, but a value of the wrong JSON type or out of its integer range (uint32
 * ids, uint64 rlimits, ...) is an INVALID_ARGUMENT naming its path, e.g.
 * {@code config.json: process.user.uid: expected an unsigned 32-bit integer, got -1}.
 * Meaning (absolute paths, known names) is checked separately by
 * {@link dev.berth.oci.runtime.SpecValidator}.
 *
 * <p>Writing produces exactly the layout of {@code runc spec}: specs-go field order, Go's
 * {@code omitempty} omissions, tab indentation, no trailing newline.
 *
 * <p>Fields of runtime-spec 1.2+ that the records do not model yet (process.scheduler,
 * ioPriority, execCPUAffinity; linux.timeOffsets, intelRdt, netDevices, memoryPolicy,
 * resources.rdma) are ignored on read and so not written back.
 */
public final class SpecJson {
    /** The name used for the document in error messages. */
    public static final String SOURCE = "config.json";

    private SpecJson() {}

    public static Spec parse(String json) {
        return SpecDecoder.spec(JsonObject.root(SOURCE, Json.parse(json, SOURCE)));
    }

    public static String write(Spec spec) {
        return Json.writeIndented(SpecEncoder.spec(spec), "\t");
    }
}
