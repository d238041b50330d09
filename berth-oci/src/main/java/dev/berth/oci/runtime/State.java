package dev.berth.oci.runtime;

import java.util.Map;

/**
 * The state of a container (runtime.md "State"), with runc's extra fields rootfs, created
 * (RFC 3339) and owner so that `state` output matches runc's. pid is 0 when there is no process.
 */
public record State(
        String ociVersion,
        String id,
        Status status,
        int pid,
        String bundle,
        String rootfs,
        String created,
        String owner,
        Map<String, String> annotations) {
    public State {
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(annotations));
    }

    public enum Status {
        CREATING, CREATED, RUNNING, STOPPED, PAUSED;

        /** The lower-case word used in JSON and in runc's tables. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status ofWord(String word) {
            return valueOf(word.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
