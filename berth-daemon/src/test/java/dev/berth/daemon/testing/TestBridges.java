package dev.berth.daemon.testing;

import dev.berth.engine.network.kernel.CniNetworkKernel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes a bridge device a test's daemon made, with every iptables and ip6tables rule and chain
 * that names it (berth's BERTH-*-&lt;device&gt; chains and the jumps to them), and berth's shared
 * chains when no other bridge is left in them ({@link CniNetworkKernel#removeBridge}, what the
 * daemon's own teardown does). A daemon keeps its default bridge when it stops, as dockerd keeps
 * docker0, so a test that gave its daemon one removes it here; user networks are removed through
 * the API before that. Only rules naming the test's own device are touched.
 */
public final class TestBridges {
    private TestBridges() {}

    public static void remove(String device) throws IOException, InterruptedException {
        try {
            CniNetworkKernel.removeBridge(device);
        } catch (RuntimeException e) {
            System.err.println("warning: removing bridge " + device + ": " + e.getMessage()); // the sweep below tries again
        }
        Pattern names = Pattern.compile("(^|[\\s-])" + Pattern.quote(device) + "(\\s|$)");
        for (String tool : List.of("iptables", "ip6tables")) {
            for (String table : List.of("filter", "nat")) {
                List<String> lines = run(List.of(tool, "-t", table, "-S"));
                for (String line : lines) {
                    if (line.startsWith("-A ") && names.matcher(line).find()) {
                        List<String> delete = new ArrayList<>(List.of(tool, "-t", table, "-D"));
                        delete.addAll(List.of(line.substring(3).trim().split("\\s+")));
                        run(delete);
                    }
                }
                for (String line : lines) {
                    if (line.startsWith("-N ") && line.endsWith("-" + device)) {
                        run(List.of(tool, "-t", table, "-X", line.substring(3).trim()));
                    }
                }
            }
        }
        if (Files.exists(Path.of("/sys/class/net", device))) {
            run(List.of("ip", "link", "del", device));
        }
    }

    private static List<String> run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().toList();
    }
}
