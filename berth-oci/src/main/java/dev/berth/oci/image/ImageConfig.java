package dev.berth.oci.image;

import dev.berth.oci.BerthException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The image configuration (config.md), with the fields Docker adds (Healthcheck, OnBuild, Shell,
 * comment, docker_version). Strings are "" and collections empty when absent. {@code created}
 * is kept as the RFC 3339 text of the document (docker prints it unchanged, nanoseconds and
 * all); {@link #createdInstant()} reads it.
 *
 * <p>An image's id is the sha256 of its config bytes: parse a config to read it, but keep and
 * hash the original bytes; only configs berth creates are written with {@link ImageJson}.
 */
public record ImageConfig(String created, String author, String architecture, String os, String osVersion,
                          List<String> osFeatures, String variant, Config config, RootFs rootfs,
                          List<History> history, String comment, String dockerVersion) {
    public ImageConfig {
        created = orEmpty(created);
        author = orEmpty(author);
        if (architecture == null || architecture.isEmpty()) {
            throw BerthException.invalid("image config: architecture is required");
        }
        if (os == null || os.isEmpty()) {
            throw BerthException.invalid("image config: os is required");
        }
        osVersion = orEmpty(osVersion);
        osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
        variant = orEmpty(variant);
        config = config == null ? Config.EMPTY : config;
        if (rootfs == null) {
            throw BerthException.invalid("image config: rootfs is required");
        }
        history = history == null ? List.of() : List.copyOf(history);
        comment = orEmpty(comment);
        dockerVersion = orEmpty(dockerVersion);
    }

    /** A config for {@code platform} with the given layers, history and runtime config. */
    public static ImageConfig of(Platform platform, Instant created, Config config, List<Digest> diffIds, List<History> history) {
        return new ImageConfig(created == null ? "" : formatTime(created), "", platform.architecture(), platform.os(),
                platform.osVersion(), platform.osFeatures(), platform.variant(), config, RootFs.layers(diffIds), history, "", "");
    }

    public List<Digest> diffIds() {
        return rootfs.diffIds();
    }

    public Platform platform() {
        return new Platform(architecture, os, osVersion, osFeatures, variant);
    }

    /** The creation time, empty when absent or unreadable (docker shows those as the zero time). */
    public Optional<Instant> createdInstant() {
        return parseTime(created);
    }

    public ImageConfig withConfig(Config newConfig) {
        return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, newConfig, rootfs, history, comment, dockerVersion);
    }

    public ImageConfig withComment(String newComment) {
        return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, config, rootfs, history, newComment, dockerVersion);
    }

    /** RFC 3339 with nanoseconds as Go's time.RFC3339Nano writes it (trailing zeros dropped). */
    public static String formatTime(Instant t) {
        String whole = DateTimeFormatter.ISO_INSTANT.format(t.with(java.time.temporal.ChronoField.NANO_OF_SECOND, 0));
        if (t.getNano() == 0) {
            return whole;
        }
        String fraction = String.format("%09d", t.getNano()).replaceFirst("0+$", "");
        return whole.substring(0, whole.length() - 1) + "." + fraction + "Z";
    }

    /** Reads an RFC 3339 time with any offset; empty when blank or malformed. */
    public static Optional<Instant> parseTime(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        Instant fast = parseCanonicalTime(text);
        if (fast != null) {
            return Optional.of(fast);
        }
        try {
            return Optional.of(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The form Go and berth write ({@code 2024-01-02T03:04:05.123Z}, or an offset {@code +01:00}),
     * read without a DateTimeFormatter: {@code docker images} sorts and prints every image by
     * its creation time, and the formatter took ~10 µs a parse under berthd's C1-only JIT. Null
     * for anything else (the formatter then decides).
     */
    private static Instant parseCanonicalTime(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int i = 19;
        int nanos = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && Character.isDigit(t.charAt(i))) {
                nanos = nanos * 10 + (t.charAt(i++) - '0');
            }
            if (i == start) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int h = digits(t, i + 1, i + 3);
            int m = digits(t, i + 4, i + 6);
            if (h < 0 || m < 0 || h > 18 || m > 59) {
                return null;
            }
            offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (h * 3600 + m * 60);
        } else {
            return null;
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(java.time.ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** The decimal number in {@code t[from, to)}, or -1 unless all digits. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * The default runtime parameters of a container made from the image (config.md
     * "config"), plus Docker's Healthcheck, OnBuild and Shell. Port and volume sets keep
     * document order.
     */
    public record Config(String user, Set<String> exposedPorts, List<String> env, List<String> entrypoint,
                         List<String> cmd, Optional<Healthcheck> healthcheck, boolean argsEscaped, Set<String> volumes,
                         String workingDir, List<String> onBuild, Map<String, String> labels, String stopSignal,
                         List<String> shell) {
        public static final Config EMPTY = new Config("", Set.of(), List.of(), List.of(), List.of(), Optional.empty(),
                false, Set.of(), "", List.of(), Map.of(), "", List.of());

        public Config {
            user = orEmpty(user);
            exposedPorts = ordered(exposedPorts);
            env = env == null ? List.of() : List.copyOf(env);
            entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
            cmd = cmd == null ? List.of() : List.copyOf(cmd);
            healthcheck = healthcheck == null ? Optional.empty() : healthcheck;
            volumes = ordered(volumes);
            workingDir = orEmpty(workingDir);
            onBuild = onBuild == null ? List.of() : List.copyOf(onBuild);
            labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
            stopSignal = orEmpty(stopSignal);
            shell = shell == null ? List.of() : List.copyOf(shell);
        }

        public Config withEnv(List<String> newEnv) {
            return new Config(user, exposedPorts, newEnv, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, onBuild, labels, stopSignal, shell);
        }

        public Config withCmd(List<String> newCmd) {
            return new Config(user, exposedPorts, env, entrypoint, newCmd, healthcheck, argsEscaped, volumes, workingDir, onBuild, labels, stopSignal, shell);
        }

        public Config withEntrypoint(List<String> newEntrypoint) {
            return new Config(user, exposedPorts, env, newEntrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, onBuild, labels, stopSignal, shell);
        }

        public Config withLabels(Map<String, String> newLabels) {
            return new Config(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, onBuild, newLabels, stopSignal, shell);
        }

        public Config withUser(String newUser) {
            return new Config(newUser, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, onBuild, labels, stopSignal, shell);
        }

        public Config withWorkingDir(String newWorkingDir) {
            return new Config(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, newWorkingDir, onBuild, labels, stopSignal, shell);
        }

        public Config withExposedPorts(Set<String> newPorts) {
            return new Config(user, newPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, onBuild, labels, stopSignal, shell);
        }

        public Config withVolumes(Set<String> newVolumes) {
            return new Config(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, newVolumes, workingDir, onBuild, labels, stopSignal, shell);
        }

        public Config withStopSignal(String newStopSignal) {
            return new Config(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, onBuild, labels, newStopSignal, shell);
        }

        public Config withOnBuild(List<String> newOnBuild) {
            return new Config(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, newOnBuild, labels, stopSignal, shell);
        }

        public Config withHealthcheck(Healthcheck newHealthcheck) {
            return new Config(user, exposedPorts, env, entrypoint, cmd, Optional.ofNullable(newHealthcheck), argsEscaped, volumes, workingDir, onBuild, labels, stopSignal, shell);
        }

        public Config withShell(List<String> newShell) {
            return new Config(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, onBuild, labels, stopSignal, newShell);
        }

        private static Set<String> ordered(Set<String> set) {
            return set == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(set));
        }
    }

    /** Docker's healthcheck: test command and durations in nanoseconds (0 = inherit / default). */
    public record Healthcheck(List<String> test, long interval, long timeout, long startPeriod, long startInterval, int retries) {
        public Healthcheck {
            test = test == null ? List.of() : List.copyOf(test);
        }
    }

    /** The layers of the image, by the digest of each uncompressed tar, bottom first. */
    public record RootFs(String type, List<Digest> diffIds) {
        public RootFs {
            if (!"layers".equals(type)) {
                throw BerthException.invalid("image config: rootfs.type must be \"layers\", got \"" + type + "\"");
            }
            diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
        }

        public static RootFs layers(List<Digest> diffIds) {
            return new RootFs("layers", diffIds);
        }
    }

    /** One build step; steps with {@code emptyLayer} made no layer. */
    public record History(String created, String createdBy, String author, String comment, boolean emptyLayer) {
        public History {
            created = orEmpty(created);
            createdBy = orEmpty(createdBy);
            author = orEmpty(author);
            comment = orEmpty(comment);
        }

        public static History of(Instant created, String createdBy, String comment, boolean emptyLayer) {
            return new History(created == null ? "" : formatTime(created), createdBy, "", comment, emptyLayer);
        }

        public Optional<Instant> createdInstant() {
            return parseTime(created);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
