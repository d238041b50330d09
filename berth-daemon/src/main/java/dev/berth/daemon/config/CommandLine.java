package dev.berth.daemon.config;

import dev.berth.oci.BerthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * berthd's command line, read the way dockerd's (pflag) reads it: {@code --flag value},
 * {@code --flag=value}, {@code -H value}, {@code -Hvalue}, {@code -D}, and booleans as
 * {@code --tlsverify} or {@code --tlsverify=false}. Only flags actually given are recorded, so
 * that daemon.json can tell which settings the command line made.
 */
public record CommandLine(Map<Option, Object> set, Optional<String> configFile, boolean help, boolean version) {

    public static CommandLine parse(List<String> args) {
        Map<Option, Object> set = new LinkedHashMap<>();
        String configFile = null;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-")) {
                throw BerthException.invalid("berthd takes no arguments, got " + arg);
            }
            if (arg.equals("--")) {
                if (i + 1 < args.size()) {
                    throw BerthException.invalid("berthd takes no arguments, got " + args.get(i + 1));
                }
                break;
            }
            boolean isLong = arg.startsWith("--");
            String name;
            String inline = null;
            if (isLong) {
                String body = arg.substring(2);
                int eq = body.indexOf('=');
                name = eq < 0 ? body : body.substring(0, eq);
                inline = eq < 0 ? null : body.substring(eq + 1);
            } else {
                name = arg.substring(1, 2);
                String tail = arg.substring(2);
                if (!tail.isEmpty()) {
                    inline = tail.startsWith("=") ? tail.substring(1) : tail;
                }
            }
            String shown = (isLong ? "--" : "-") + name;
            switch (name) {
                case "help", "h" -> {
                    help = true;
                    continue;
                }
                case "version", "v" -> {
                    version = true;
                    continue;
                }
                case "config-file" -> {
                    if (inline == null) {
                        i = need(args, i, shown);
                        inline = args.get(i);
                    }
                    configFile = inline;
                    continue;
                }
                default -> { }
            }
            boolean longFlag = isLong;
            Option option = Option.byFlag(name, isLong).orElseThrow(() -> BerthException.invalid(longFlag
                    ? "unknown flag: " + shown
                    : "unknown shorthand flag: '" + name + "' in " + arg));
            switch (option.type()) {
                case BOOL -> set.put(option, parseBool(inline, shown));
                case STRING, LIST -> {
                    if (inline == null) {
                        i = need(args, i, shown);
                        inline = args.get(i);
                    }
                    if (option.type() == Option.Type.LIST) {
                        @SuppressWarnings("unchecked")
                        List<String> list = (List<String>) set.computeIfAbsent(option, o -> new ArrayList<String>());
                        list.add(inline);
                    } else {
                        set.put(option, inline);
                    }
                }
            }
        }
        return new CommandLine(set, Optional.ofNullable(configFile), help, version);
    }

    private static int need(List<String> args, int i, String flag) {
        if (i + 1 >= args.size()) {
            throw BerthException.invalid("flag needs an argument: " + flag);
        }
        return i + 1;
    }

    private static boolean parseBool(String inline, String flag) {
        if (inline == null) {
            return true;
        }
        return switch (inline.toLowerCase(Locale.ROOT)) {
            case "1", "t", "true" -> true;
            case "0", "f", "false" -> false;
            default -> throw BerthException.invalid("invalid argument \"" + inline + "\" for \"" + flag
                    + "\" flag: strconv.ParseBool: parsing \"" + inline + "\": invalid syntax");
        };
    }

    public static final String USAGE = """
            Usage:	berthd [OPTIONS]

            A self-sufficient runtime for containers: the berth daemon, serving the Docker Engine API.

            Options:
              -b, --bridge string         Attach containers to a network bridge: the default bridge's device, "none" for
                                          no default bridge (default "berth0")
                  --bip string            Specify network bridge IP: the default bridge's gateway with its prefix
                                          (e.g. 10.210.0.1/24; default: the first free private subnet)
                  --config-file string    Daemon configuration file (default "/etc/berth/daemon.json")
                  --data-root string      Root directory of persistent berth state (default "/var/lib/berth")
              -D, --debug                 Enable debug mode
                  --exec-root string      Root directory for execution state files (default "/run/berth")
              -h, --help                  Print usage
              -H, --host list             Daemon socket(s) to connect to (default unix:///run/berth/berth.sock)
                  --insecure-registry list
                                          Enable insecure registry communication: a host[:port] or a CIDR reached
                                          over plain HTTP if TLS fails (127.0.0.0/8 always is)
              -l, --log-level string      Set the logging level ("debug"|"info"|"warn"|"error"|"fatal") (default "info")
              -p, --pidfile string        Path to use for daemon PID file (default "<exec-root>/berthd.pid")
                  --registry-mirror list  Preferred Docker registry mirror (an http or https URL; repeatable)
                  --tls                   Use TLS; implied by --tlsverify
                  --tlscacert string      Trust certs signed only by this CA (default "/etc/berth/tls/ca.pem")
                  --tlscert string        Path to TLS certificate file (default "/etc/berth/tls/cert.pem")
                  --tlskey string         Path to TLS key file (default "/etc/berth/tls/key.pem")
                  --tlsverify             Use TLS and verify the remote (clients must present a certificate signed by --tlscacert)
              -v, --version               Print version information and quit
            """;
}
