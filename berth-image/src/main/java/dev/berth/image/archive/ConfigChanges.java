package dev.berth.image.archive;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@code --change} lines of {@code docker import} / {@code docker commit} to an image's
 * run configuration, with the Dockerfile meaning of each instruction: CMD, ENTRYPOINT, ENV,
 * EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR (JSON and shell forms).
 * Anything else is refused with docker's words, "from is not a valid change command".
 */
public final class ConfigChanges {
    private static final Set<String> VALID = Set.of("cmd", "entrypoint", "env", "expose", "healthcheck", "label",
            "onbuild", "stopsignal", "user", "volume", "workdir");
    private static final Pattern PORT = Pattern.compile("(\\d+)(?:-(\\d+))?(?:/(\\w+))?");
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private ConfigChanges() {
    }

    /** The run configuration {@code base} with the changes applied in order. */
    public static ImageConfig.Config apply(ImageConfig.Config base, List<String> changes) {
        RunConfig draft = RunConfig.from(base);
        apply(draft, changes);
        return draft.toConfig(base);
    }

    /** Applies the changes in order to {@code config}, which is modified in place. */
    static void apply(RunConfig config, List<String> changes) {
        boolean cmdSet = false;
        for (String change : changes) {
            String line = change.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = indexOfBlank(line);
            String word = space < 0 ? line : line.substring(0, space);
            String args = space < 0 ? "" : line.substring(space).strip();
            String command = word.toLowerCase(Locale.ROOT);
            if (!VALID.contains(command)) {
                throw BerthException.invalid(command + " is not a valid change command");
            }
            String upper = command.toUpperCase(Locale.ROOT);
            Map<String, String> env = envMap(config.env);
            switch (command) {
                case "cmd" -> {
                    config.cmd = execOrShell(args);
                    cmdSet = true;
                }
                case "entrypoint" -> {
                    List<String> parsed = execOrShell(args);
                    config.entrypoint = parsed;
                    // as in a Dockerfile, ENTRYPOINT drops a CMD that these changes did not set themselves
                    if (!cmdSet) {
                        config.cmd = null;
                    }
                }
                case "env" -> {
                    for (String[] pair : nameValues(upper, args, env)) {
                        setEnv(config, pair[0], pair[1]);
                        env.put(pair[0], pair[1]);
                    }
                }
                case "label" -> {
                    for (String[] pair : nameValues(upper, args, env)) {
                        config.labels.put(pair[0], pair[1]);
                    }
                }
                case "expose" -> {
                    List<String> ports = ShellWords.processAll(args, env);
                    if (ports.isEmpty()) {
                        throw BerthException.invalid("EXPOSE requires at least one argument");
                    }
                    for (String port : ports) {
                        exposePort(config, port);
                    }
                }
                case "volume" -> {
                    List<String> volumes = jsonArray(args);
                    if (volumes == null) {
                        volumes = ShellWords.processAll(args, env);
                    }
                    if (volumes.isEmpty()) {
                        throw BerthException.invalid("VOLUME requires at least one argument");
                    }
                    for (String v : volumes) {
                        if (v.isBlank()) {
                            throw BerthException.invalid("VOLUME specified can not be an empty string");
                        }
                        config.volumes.add(v.strip());
                    }
                }
                case "user" -> config.user = single(upper, args, env);
                case "workdir" -> {
                    String dir = single(upper, args, env);
                    String base = config.workingDir == null || config.workingDir.isEmpty() ? "/" : config.workingDir;
                    config.workingDir = dir.startsWith("/") ? clean(dir) : clean(base + "/" + dir);
                }
                case "stopsignal" -> config.stopSignal = signal(single(upper, args, env));
                case "onbuild" -> config.onBuild.add(onBuild(args));
                case "healthcheck" -> config.healthcheck = healthcheck(args);
                default -> throw new IllegalStateException(command);
            }
        }
    }

    /** The run configuration as a Dockerfile changes it, mutable; nulls and empty collections mean unset. */
    static final class RunConfig {
        String user;
        Set<String> exposedPorts = new java.util.TreeSet<>();
        List<String> env = new ArrayList<>();
        List<String> entrypoint;
        List<String> cmd;
        Set<String> volumes = new java.util.TreeSet<>();
        String workingDir;
        Map<String, String> labels = new TreeMap<>();
        String stopSignal;
        List<String> onBuild = new ArrayList<>();
        /** Docker's Healthcheck object: Test, Interval, Timeout, StartPeriod, StartInterval (ns), Retries. */
        Map<String, Object> healthcheck;

        static RunConfig from(ImageConfig.Config c) {
            RunConfig r = new RunConfig();
            r.user = c.user();
            r.exposedPorts.addAll(c.exposedPorts());
            r.env.addAll(c.env());
            r.entrypoint = c.entrypoint().isEmpty() ? null : new ArrayList<>(c.entrypoint());
            r.cmd = c.cmd().isEmpty() ? null : new ArrayList<>(c.cmd());
            r.volumes.addAll(c.volumes());
            r.workingDir = c.workingDir();
            r.labels.putAll(c.labels());
            r.stopSignal = c.stopSignal();
            r.onBuild.addAll(c.onBuild());
            c.healthcheck().ifPresent(h -> {
                r.healthcheck = new LinkedHashMap<>();
                r.healthcheck.put("Test", h.test());
                putIfSet(r.healthcheck, "Interval", h.interval());
                putIfSet(r.healthcheck, "Timeout", h.timeout());
                putIfSet(r.healthcheck, "StartPeriod", h.startPeriod());
                putIfSet(r.healthcheck, "StartInterval", h.startInterval());
                putIfSet(r.healthcheck, "Retries", h.retries());
            });
            return r;
        }

        /** Back to the record, keeping what the changes cannot touch (ArgsEscaped, Shell) from {@code base}. */
        @SuppressWarnings("unchecked")
        ImageConfig.Config toConfig(ImageConfig.Config base) {
            ImageConfig.Healthcheck hc = null;
            if (healthcheck != null) {
                hc = new ImageConfig.Healthcheck((List<String>) healthcheck.get("Test"), nanos("Interval"), nanos("Timeout"),
                        nanos("StartPeriod"), nanos("StartInterval"), (int) nanos("Retries"));
            }
            return new ImageConfig.Config(user, exposedPorts, env, entrypoint, cmd, java.util.Optional.ofNullable(hc),
                    base.argsEscaped(), volumes, workingDir, onBuild, labels, stopSignal, base.shell());
        }

        private long nanos(String key) {
            Object v = healthcheck.get(key);
            return v == null ? 0 : ((Number) v).longValue();
        }

        private static void putIfSet(Map<String, Object> map, String key, long value) {
            if (value != 0) {
                map.put(key, value);
            }
        }
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, String> envMap(List<String> env) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                map.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        return map;
    }

    private static void setEnv(RunConfig config, String name, String value) {
        String entry = name + "=" + value;
        for (int i = 0; i < config.env.size(); i++) {
            if (config.env.get(i).startsWith(name + "=")) {
                config.env.set(i, entry);
                return;
            }
        }
        config.env.add(entry);
    }

    /** The JSON array form, or null when the text is not a JSON array of strings (then it is shell form). */
    static List<String> jsonArray(String args) {
        if (!args.startsWith("[")) {
            return null;
        }
        try {
            if (Json.parse(args, "change") instanceof List<?> list) {
                List<String> out = new ArrayList<>();
                for (Object o : list) {
                    if (!(o instanceof String s)) {
                        return null;
                    }
                    out.add(s);
                }
                return out;
            }
        } catch (BerthException e) {
            return null;
        }
        return null;
    }

    private static List<String> execOrShell(String args) {
        List<String> exec = jsonArray(args);
        if (exec != null) {
            return exec;
        }
        List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c"));
        if (!args.isEmpty()) {
            shell.add(args);
        }
        return shell;
    }

    /** {@code a=b "c d"=e} or the legacy {@code name the rest}. */
    private static List<String[]> nameValues(String instruction, String args, Map<String, String> env) {
        List<String> raw = ShellWords.splitRaw(args);
        if (raw.isEmpty()) {
            throw BerthException.invalid(instruction + " requires at least one argument");
        }
        List<String[]> pairs = new ArrayList<>();
        if (!raw.getFirst().contains("=")) {
            if (raw.size() < 2) {
                throw BerthException.invalid(instruction + " must have two arguments");
            }
            String rest = args.substring(args.indexOf(raw.getFirst()) + raw.getFirst().length()).strip();
            pairs.add(new String[] {ShellWords.process(raw.getFirst(), env), ShellWords.process(rest, env)});
            return pairs;
        }
        for (String word : raw) {
            String processed = ShellWords.process(word, env);
            int eq = processed.indexOf('=');
            if (eq < 0) {
                throw BerthException.invalid("Syntax error - can't find = in \"" + word + "\". Must be of the form: name=value");
            }
            String name = processed.substring(0, eq);
            if (name.isEmpty()) {
                throw BerthException.invalid(instruction + " names can not be blank");
            }
            pairs.add(new String[] {name, processed.substring(eq + 1)});
        }
        return pairs;
    }

    private static String single(String instruction, String args, Map<String, String> env) {
        List<String> words = ShellWords.processAll(args, env);
        if (words.size() != 1) {
            throw BerthException.invalid(instruction + " requires exactly one argument");
        }
        return words.getFirst();
    }

    private static void exposePort(RunConfig config, String spec) {
        Matcher m = PORT.matcher(spec);
        if (!m.matches()) {
            String port = spec.contains("/") ? spec.substring(0, spec.indexOf('/')) : spec;
            throw BerthException.invalid("Invalid containerPort: " + port);
        }
        String proto = m.group(3) == null ? "tcp" : m.group(3).toLowerCase(Locale.ROOT);
        if (!Set.of("tcp", "udp", "sctp").contains(proto)) {
            throw BerthException.invalid("Invalid proto: " + m.group(3));
        }
        int start = parsePort(m.group(1), spec);
        int end = m.group(2) == null ? start : parsePort(m.group(2), spec);
        if (end < start) {
            throw BerthException.invalid("Invalid range specified for container port: " + spec);
        }
        for (int p = start; p <= end; p++) {
            config.exposedPorts.add(p + "/" + proto);
        }
    }

    private static int parsePort(String digits, String spec) {
        try {
            int p = Integer.parseInt(digits);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw BerthException.invalid("Invalid containerPort: " + spec);
    }

    private static String signal(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.matches("\\d+")) {
            int n = Integer.parseInt(upper);
            if (n < 1 || n > 64) {
                throw BerthException.invalid("Invalid signal: " + name);
            }
            return name;
        }
        String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
        if (!Signals.NAMES.contains(bare) && !bare.matches("RTM(IN|AX)(([+-])\\d+)?")) {
            throw BerthException.invalid("Invalid signal: " + name);
        }
        return name;
    }

    private static String onBuild(String args) {
        String trigger = args.strip();
        int space = indexOfBlank(trigger);
        String word = (space < 0 ? trigger : trigger.substring(0, space)).toUpperCase(Locale.ROOT);
        if (word.isEmpty()) {
            throw BerthException.invalid("ONBUILD requires at least one argument");
        }
        switch (word) {
            case "ONBUILD" -> throw BerthException.invalid("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER", "FROM" -> throw BerthException.invalid(word + " isn't allowed as an ONBUILD trigger");
            default -> {
                return space < 0 ? word : word + trigger.substring(space);
            }
        }
    }

    private static Map<String, Object> healthcheck(String args) {
        List<String> words = ShellWords.splitRaw(args);
        Map<String, Object> hc = new LinkedHashMap<>();
        int i = 0;
        Map<String, Object> options = new LinkedHashMap<>();
        while (i < words.size() && words.get(i).startsWith("--")) {
            String flag = words.get(i++);
            int eq = flag.indexOf('=');
            if (eq < 0) {
                throw BerthException.invalid("HEALTHCHECK flag " + flag + " needs a value (--" + "name=value)");
            }
            String name = flag.substring(2, eq);
            String value = ShellWords.process(flag.substring(eq + 1), Map.of());
            switch (name) {
                case "interval" -> options.put("Interval", duration(name, value));
                case "timeout" -> options.put("Timeout", duration(name, value));
                case "start-period" -> options.put("StartPeriod", duration(name, value));
                case "start-interval" -> options.put("StartInterval", duration(name, value));
                case "retries" -> {
                    try {
                        long retries = Long.parseLong(value);
                        if (retries < 0) {
                            throw BerthException.invalid("--retries cannot be negative (" + retries + ")");
                        }
                        options.put("Retries", retries);
                    } catch (NumberFormatException e) {
                        throw BerthException.invalid("invalid value for --retries: " + value);
                    }
                }
                default -> throw BerthException.invalid("Unknown flag: " + name);
            }
        }
        if (i >= words.size()) {
            throw BerthException.invalid("Missing command after HEALTHCHECK");
        }
        String type = words.get(i).toUpperCase(Locale.ROOT);
        String rest = args.substring(args.indexOf(words.get(i)) + words.get(i).length()).strip();
        if (type.equals("NONE")) {
            if (!rest.isEmpty() || !options.isEmpty()) {
                throw BerthException.invalid("HEALTHCHECK NONE takes no arguments");
            }
            hc.put("Test", List.of("NONE"));
            return hc;
        }
        if (!type.equals("CMD")) {
            throw BerthException.invalid("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
        }
        List<String> exec = jsonArray(rest);
        List<String> test = new ArrayList<>();
        if (exec != null) {
            test.add("CMD");
            test.addAll(exec);
        } else {
            test.add("CMD-SHELL");
            test.add(rest);
        }
        hc.put("Test", test);
        hc.putAll(options);
        return hc;
    }

    /** A Go duration ("30s", "1m30s", "500ms") in nanoseconds; docker refuses anything under 1ms except 0. */
    static long duration(String flag, String text) {
        if (text.equals("0")) {
            return 0;
        }
        Matcher m = GO_DURATION.matcher(text);
        long nanos = 0;
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            double amount = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> Duration.ofMinutes(1).toNanos();
                default -> Duration.ofHours(1).toNanos();
            };
            nanos += (long) (amount * unit);
            at = m.end();
        }
        if (at != text.length() || text.isEmpty()) {
            throw BerthException.invalid("time: invalid duration \"" + text + "\" for --" + flag);
        }
        if (nanos < 1_000_000) {
            throw BerthException.invalid("Interval \"" + flag + "\" cannot be less than 1ms");
        }
        return nanos;
    }

    /** Lexical clean of an absolute path, as Go's path.Clean does. */
    static String clean(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
            } else {
                parts.add(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** Linux signal names without the SIG prefix. */
    private static final class Signals {
        static final Set<String> NAMES = Set.of("ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT",
                "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP",
                "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ");
    }
}
