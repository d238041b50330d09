package dev.berth.daemon.config;

import dev.berth.image.registry.RegistryOptions;
import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything berthd runs with, resolved: defaults filled in, addresses parsed, TLS settled.
 * {@code tls} is on when asked for or implied by {@code tlsverify}, as in dockerd.
 *
 * @param bridge the default bridge's device (-b/--bridge, daemon.json "bridge"): empty for the
 *     engine's default ({@code berth0}), {@code none} for no default bridge
 * @param bip the default bridge's gateway and prefix (--bip, daemon.json "bip"), e.g.
 *     {@code 10.210.0.1/24}; empty for the first free pool
 * @param registry insecure registries and mirrors (--insecure-registry, --registry-mirror), checked
 */
public record DaemonConfig(
        List<HostAddress> hosts,
        Path dataRoot,
        Path execRoot,
        Path pidfile,
        boolean tls,
        boolean tlsVerify,
        Path tlsCaCert,
        Path tlsCert,
        Path tlsKey,
        LogLevel logLevel,
        boolean debug,
        String bridge,
        String bip,
        RegistryOptions registry) {

    public static final Path DEFAULT_DATA_ROOT = Path.of("/var/lib/berth");
    public static final Path DEFAULT_EXEC_ROOT = Path.of("/run/berth");
    public static final Path DEFAULT_TLS_DIR = Path.of("/etc/berth/tls");

    /** dockerd's word for "no default bridge". */
    public static final String NO_BRIDGE = "none";

    public DaemonConfig {
        hosts = List.copyOf(hosts);
        bridge = bridge == null ? "" : bridge;
        bip = bip == null ? "" : bip;
        registry = registry == null ? RegistryOptions.defaults() : registry;
    }

    /** Reads the command line and the config file it names (or the default one). */
    public static DaemonConfig load(CommandLine line) {
        Path file = line.configFile().map(Path::of).orElse(DaemonJson.DEFAULT);
        Map<Option, Object> merged = DaemonJson.merge(file, line.set(), DaemonJson.read(file, line.configFile().isPresent()));
        return resolve(merged);
    }

    public static DaemonConfig resolve(Map<Option, Object> values) {
        boolean tlsVerify = bool(values, Option.TLS_VERIFY);
        boolean tls = bool(values, Option.TLS) || tlsVerify;
        @SuppressWarnings("unchecked")
        List<String> hostTexts = (List<String>) values.getOrDefault(Option.HOSTS, List.of());
        List<HostAddress> hosts = new ArrayList<>();
        for (String text : hostTexts.isEmpty() ? List.of(HostAddress.DEFAULT_UNIX) : hostTexts) {
            HostAddress address = HostAddress.parse(text, tls);
            if (!hosts.contains(address)) {
                hosts.add(address);
            }
        }
        Path dataRoot = path(values, Option.DATA_ROOT).orElse(DEFAULT_DATA_ROOT);
        Path execRoot = path(values, Option.EXEC_ROOT).orElse(DEFAULT_EXEC_ROOT);
        Path pidfile = path(values, Option.PIDFILE).orElse(execRoot.resolve("berthd.pid"));
        boolean debug = bool(values, Option.DEBUG);
        LogLevel level = values.containsKey(Option.LOG_LEVEL)
                ? LogLevel.parse((String) values.get(Option.LOG_LEVEL))
                : debug ? LogLevel.DEBUG : LogLevel.INFO;
        return new DaemonConfig(hosts, dataRoot, execRoot, pidfile, tls, tlsVerify,
                path(values, Option.TLS_CA_CERT).orElse(DEFAULT_TLS_DIR.resolve("ca.pem")),
                path(values, Option.TLS_CERT).orElse(DEFAULT_TLS_DIR.resolve("cert.pem")),
                path(values, Option.TLS_KEY).orElse(DEFAULT_TLS_DIR.resolve("key.pem")),
                level, debug, bridge(values), bip(values),
                RegistrySettings.resolve(list(values, Option.INSECURE_REGISTRIES), list(values, Option.REGISTRY_MIRRORS)));
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<Option, Object> values, Option option) {
        return (List<String>) values.getOrDefault(option, List.of());
    }

    /** A device name as the kernel takes it (dockerd leaves the check to netlink; berth says why up front). */
    private static String bridge(Map<Option, Object> values) {
        String b = ((String) values.getOrDefault(Option.BRIDGE, "")).trim();
        if (!b.isEmpty() && (b.length() > 15 || !b.matches("[A-Za-z0-9_.-]+"))) {
            throw BerthException.invalid("invalid bridge name \"" + b
                    + "\": a network device name is at most 15 letters, digits, '_', '.' or '-'");
        }
        String bip = ((String) values.getOrDefault(Option.BIP, "")).trim();
        if (b.equals(NO_BRIDGE) && !bip.isEmpty()) {
            // dockerd refuses -b with --bip altogether (-b names a bridge it does not create);
            // berthd creates the -b bridge itself, so only "none" contradicts an address
            throw BerthException.invalid("You specified -b & --bip, mutually exclusive options. Please specify only one");
        }
        return b;
    }

    /** --bip: an IPv4 address with its prefix length (dockerd takes no IPv6 here either). */
    private static String bip(Map<Option, Object> values) {
        String bip = ((String) values.getOrDefault(Option.BIP, "")).trim();
        if (bip.isEmpty()) {
            return "";
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})")
                .matcher(bip);
        boolean ok = m.matches();
        for (int i = 1; ok && i <= 4; i++) {
            ok = Integer.parseInt(m.group(i)) <= 255;
        }
        if (!ok || Integer.parseInt(m.group(5)) > 32) {
            throw BerthException.invalid("invalid CIDR address: " + bip); // dockerd's words, at its network controller's start
        }
        return bip;
    }

    private static boolean bool(Map<Option, Object> values, Option option) {
        return Boolean.TRUE.equals(values.get(option));
    }

    private static Optional<Path> path(Map<Option, Object> values, Option option) {
        Object v = values.get(option);
        if (v == null) {
            return Optional.empty();
        }
        String s = (String) v;
        if (s.isBlank()) {
            throw BerthException.invalid(option.key() + " must not be empty");
        }
        return Optional.of(Path.of(s).toAbsolutePath().normalize());
    }
}
