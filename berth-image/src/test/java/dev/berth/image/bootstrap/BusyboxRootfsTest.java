package dev.berth.image.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusyboxRootfsTest {
    @TempDir
    Path root;

    @Test
    void treeWithAppletLinksUsersAndEmptyMountPoints() throws Exception {
        assumeTrue(Files.isExecutable(BusyboxRootfs.HOST_BUSYBOX), "needs /bin/busybox (apt-get install busybox-static)");
        new BusyboxRootfs(BusyboxRootfs.HOST_BUSYBOX).build(root);
        assertThat(root.resolve("bin/busybox")).isRegularFile().isExecutable();
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(Files.readSymbolicLink(root.resolve("usr/bin/env"))).isEqualTo(Path.of("../../bin/busybox"));
        assertThat(root.resolve("usr/bin/env").toRealPath()).isEqualTo(root.resolve("bin/busybox").toRealPath());
        assertThat(Files.readString(root.resolve("etc/passwd"))).startsWith("root:x:0:0:root:/root:/bin/sh\n").contains("nobody:x:65534:");
        assertThat(Files.readString(root.resolve("etc/group"))).startsWith("root:x:0:\n");
        assertThat((int) Files.getAttribute(root.resolve("tmp"), "unix:mode") & 07777).isEqualTo(01777);
        for (String dir : new String[] {"root", "dev", "proc", "sys"}) {
            assertThat(root.resolve(dir)).isEmptyDirectory();
        }
        assertThat(root.resolve("linuxrc")).doesNotExist();
        // the applets really run from the tree
        Process p = new ProcessBuilder(root.resolve("bin/busybox").toString(), "echo", "ok").start();
        assertThat(new String(p.getInputStream().readAllBytes()).strip()).isEqualTo("ok");
        long links;
        try (var s = Files.list(root.resolve("bin"))) {
            links = s.filter(Files::isSymbolicLink).count();
        }
        assertThat(links).isGreaterThan(50);
        assertThat(Files.isSymbolicLink(root.resolve("bin/busybox"))).isFalse();
        assertThat(Files.exists(root.resolve("sbin/init"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
