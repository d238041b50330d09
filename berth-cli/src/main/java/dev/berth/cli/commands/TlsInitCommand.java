package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.client.TlsSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth tls init}: everything mutual TLS on port 2376 needs, in one directory: ca.pem
 * (and ca-key.pem to sign more later), server-cert.pem/server-key.pem for berthd and
 * cert.pem/key.pem for clients, the names docker looks for in DOCKER_CERT_PATH. Keys are 0600.
 * Existing files are never overwritten.
 */
@Command(name = "init", description = "Make a CA, a server and a client certificate for mutual TLS")
public final class TlsInitCommand implements Callable<Integer> {
    static final List<String> FILES = List.of("ca.pem", "ca-key.pem", "server-cert.pem", "server-key.pem", "cert.pem",
            "key.pem");

    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = "--dir", description = "Where to write the files (default DOCKER_CERT_PATH or ~/.docker)")
    String dir;

    @Option(names = "--host", description = "Another DNS name or IP address of the daemon (repeatable)")
    List<String> hosts;

    @Option(names = "--hostname", hidden = true, description = "The machine's name (default: this host's)")
    String hostname;

    public TlsInitCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        Path target = dir != null && !dir.isEmpty() ? Path.of(dir) : TlsSettings.certDir(cli.env);
        target = target.toAbsolutePath();
        for (String file : FILES) {
            if (Files.exists(target.resolve(file))) {
                throw new CommandFailed("tls init: " + target.resolve(file) + " already exists; not overwriting it "
                        + "(use another --dir or remove the old files)");
            }
        }
        String machine = hostname != null ? hostname : localHostname();
        Set<String> dnsNames = new LinkedHashSet<>();
        dnsNames.add("localhost");
        Set<InetAddress> addresses = new LinkedHashSet<>();
        addresses.add(InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}));
        if (!machine.isEmpty()) {
            dnsNames.add(machine);
        }
        for (String host : hosts == null ? List.<String>of() : hosts) {
            for (String h : host.split(",")) {
                h = bareHost(h.strip());
                if (h.isEmpty()) {
                    continue;
                }
                InetAddress ip = literalAddress(h);
                if (ip != null) {
                    addresses.add(ip);
                } else {
                    dnsNames.add(h);
                }
            }
        }
        CertificateAuthority ca = new CertificateAuthority("berth CA " + (machine.isEmpty() ? "" : machine).strip());
        CertificateAuthority.Issued server = ca.server(machine.isEmpty() ? "localhost" : machine,
                new ArrayList<>(dnsNames), new ArrayList<>(addresses));
        CertificateAuthority.Issued client = ca.client("berth client");

        Files.createDirectories(target);
        write(target.resolve("ca.pem"), CertificateAuthority.pem(ca.certificate()), false);
        write(target.resolve("ca-key.pem"), CertificateAuthority.pem(ca.keys()), true);
        write(target.resolve("server-cert.pem"), CertificateAuthority.pem(server.certificate()), false);
        write(target.resolve("server-key.pem"), CertificateAuthority.pem(server.keys()), true);
        write(target.resolve("cert.pem"), CertificateAuthority.pem(client.certificate()), false);
        write(target.resolve("key.pem"), CertificateAuthority.pem(client.keys()), true);

        String dial = hosts != null && !hosts.isEmpty() ? bareHost(hosts.getFirst().split(",")[0].strip())
                : machine.isEmpty() ? "127.0.0.1" : machine;
        cli.out.println("Wrote ca.pem, ca-key.pem, server-cert.pem, server-key.pem, cert.pem and key.pem to " + target);
        cli.out.println("Server names: " + String.join(", ", dnsNames) + ", "
                + String.join(", ", addresses.stream().map(InetAddress::getHostAddress).toList()));
        cli.out.println();
        cli.out.println("Start the daemon with:");
        cli.out.println("  berthd --tlsverify --tlscacert=" + target.resolve("ca.pem") + " --tlscert="
                + target.resolve("server-cert.pem") + " --tlskey=" + target.resolve("server-key.pem")
                + " -H tcp://0.0.0.0:2376");
        cli.out.println();
        cli.out.println("Point berth or docker at it with:");
        cli.out.println("  export DOCKER_HOST=tcp://" + dial + ":2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=" + target);
        return 0;
    }

    private static String localHostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException ignored) {
            // fall back to the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "";
        }
    }

    /** "tcp://name:2376" → "name", "[::1]:2376" → "::1": people paste DOCKER_HOST values here. */
    static String bareHost(String text) {
        String h = text.contains("://") ? text.substring(text.indexOf("://") + 3) : text;
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close > 0 ? h.substring(1, close) : h;
        }
        int colon = h.indexOf(':');
        // one colon is host:port; more is a bare IPv6 address
        if (colon >= 0 && colon == h.lastIndexOf(':')) {
            h = h.substring(0, colon);
        }
        return h;
    }

    /** The address when the text is an IPv4 or IPv6 literal (no name lookup), else null. */
    static InetAddress literalAddress(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean ipv4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = t.contains(":") && t.matches("[0-9a-fA-F:.]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static void write(Path file, String text, boolean secret) throws IOException {
        var perms = PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(perms));
        } catch (FileAlreadyExistsException e) {
            throw new CommandFailed("tls init: " + file + " already exists; not overwriting it");
        }
        Files.setPosixFilePermissions(file, perms); // umask may have narrowed or widened it
        Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
