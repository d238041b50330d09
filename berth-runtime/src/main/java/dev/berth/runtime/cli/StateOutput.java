package dev.berth.runtime.cli;

import dev.berth.oci.runtime.State;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's state as runc prints it in {@code state} and {@code list --format json}: the OCI
 * state fields plus rootfs, created and owner, in runc's order (annotations, sorted, sit
 * between created and owner, and only when there are some).
 */
final class StateOutput {
    private StateOutput() {}

    static Map<String, Object> tree(State state) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ociVersion", orEmpty(state.ociVersion()));
        out.put("id", orEmpty(state.id()));
        out.put("pid", (long) state.pid());
        out.put("status", state.status() == null ? "" : state.status().word());
        out.put("bundle", orEmpty(state.bundle()));
        out.put("rootfs", orEmpty(state.rootfs()));
        out.put("created", orEmpty(state.created()));
        if (!state.annotations().isEmpty()) {
            // Go's encoder writes map keys sorted
            out.put("annotations", new java.util.TreeMap<>(state.annotations()));
        }
        out.put("owner", orEmpty(state.owner()));
        return out;
    }

    static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
