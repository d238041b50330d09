package dev.berth.image.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptMirrorTest {
    @TempDir
    Path apt;

    @Test
    void deb822StanzaOfTheSuiteNotSecurity() throws Exception {
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list.d/debian.sources"), """
                Types: deb
                # http://snapshot.debian.org/archive/debian-security/20250520T000000Z
                URIs: http://deb.debian.org/debian-security
                Suites: bookworm-security
                Components: main

                Types: deb deb-src
                URIs: http://mirror.example/debian/
                Suites: bookworm bookworm-updates
                Components: main
                """);
        assertThat(AptMirror.fromHost(apt, "bookworm").uri()).isEqualTo("http://mirror.example/debian");
    }

    @Test
    void oneLineFormWithOptionsAndCommentsFirst() throws Exception {
        Files.writeString(apt.resolve("sources.list"), """
                # deb http://old.example/debian bookworm main
                deb-src http://src.example/debian bookworm main
                deb [arch=amd64 signed-by=/k.gpg] http://one.example/debian bookworm main contrib
                """);
        assertThat(AptMirror.fromHost(apt, "bookworm").uri()).isEqualTo("http://one.example/debian");
    }

    @Test
    void disabledStanzasAndOtherSuitesDoNotCount() throws Exception {
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list.d/a.sources"), """
                Enabled: no
                Types: deb
                URIs: http://off.example/debian
                Suites: bookworm
                """);
        Files.writeString(apt.resolve("sources.list.d/b.list"), "deb http://x.example/debian trixie main\n");
        assertThatThrownBy(() -> AptMirror.fromHost(apt, "bookworm")).isInstanceOf(BerthException.class)
                .hasMessageStartingWith("no apt source for debian bookworm in ");
    }

    @Test
    void theHostHasOne() {
        // this machine's apt sources are how debootstrap reaches Debian here
        assertThat(AptMirror.find(Path.of("/etc/apt"), "bookworm")).isPresent();
    }
}
