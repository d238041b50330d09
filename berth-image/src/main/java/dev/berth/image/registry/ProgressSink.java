package dev.berth.image.registry;

/**
 * Where pull and push report progress: each {@link Progress} becomes one line of dockerd's JSON
 * stream ({@code {"status","id","progressDetail":{"current","total"},"progress"}}) that the docker
 * CLI draws bars from. Called from several download threads at once: implementations serialize.
 */
@FunctionalInterface
public interface ProgressSink {
    void send(Progress progress);

    ProgressSink NONE = p -> {
    };

    /**
     * One progress message. {@code id} is a short layer id (12 hex), a tag, or "" for
     * image-wide lines ("Digest: sha256:…", "Status: Downloaded newer image for …").
     * {@code current}/{@code total} are bytes, -1 when the message has no progress detail.
     */
    record Progress(String id, String status, long current, long total) {
        public static Progress of(String id, String status) {
            return new Progress(id, status, -1, -1);
        }

        public static Progress line(String status) {
            return new Progress("", status, -1, -1);
        }
    }
}
