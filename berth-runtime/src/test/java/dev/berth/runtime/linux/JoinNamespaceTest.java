package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.runtime.testing.TestBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** linux.namespaces entries with a path: the container joins a namespace that exists already. */
class JoinNamespaceTest {
    @TempDir
    Path tmp;
    Harness h;
    final String netns = "berth-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    Path utsFile;

    @BeforeEach
    void setUp() {
        h = Harness.open(tmp, "join");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) {
            h.close();
        }
        if (Files.exists(Path.of("/run/netns", netns))) {
            sh("ip", "netns", "delete", netns);
        }
        if (utsFile != null) {
            sh("umount", utsFile.toString());
        }
    }

    private static String sh(String... cmd) throws IOException, InterruptedException {
        java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        if (code != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit " + code + ": " + out);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void joinNamespace(TestBundle b, String type, String path) {
        b.edit(c -> {
            for (Object o : (List<Object>) b.linux().get("namespaces")) {
                Map<String, Object> n = (Map<String, Object>) o;
                if (n.get("type").equals(type)) {
                    n.put("path", path);
                }
            }
        });
    }

    @Test
    void joinsANetworkNamespaceByPath() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs ip(8) to create a network namespace (apt-get install iproute2)");
        sh("ip", "netns", "add", netns);
        Path nsFile = Path.of("/run/netns", netns);
        Object inode = Files.getAttribute(nsFile, "unix:ino");
        TestBundle b = h.bundle("sh", "-c", "readlink /proc/self/ns/net > /out/net");
        joinNamespace(b, "network", nsFile.toString());
        assertThat(h.run()).isZero();
        assertThat(b.read("net").trim()).isEqualTo("net:[" + inode + "]");
    }

    @Test
    void joinsAUtsNamespaceByPath() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare(1) to make a uts namespace");
        Path file = tmp.resolve("uts");
        Files.createFile(file);
        sh("unshare", "--uts=" + file, "hostname", "berth-joined");
        utsFile = file;
        TestBundle b = h.bundle("sh", "-c", "hostname > /out/host");
        b.edit(c -> c.remove("hostname"));
        joinNamespace(b, "uts", file.toString());
        assertThat(h.run()).isZero();
        assertThat(b.read("host").trim()).isEqualTo("berth-joined");
    }
}
