package dev.berth.image.bootstrap;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A minimal root filesystem made from the host's static busybox (Debian's busybox-static):
 * {@code /bin/busybox}, one relative symlink per applet where {@code busybox --list-full} puts
 * it, {@code /etc/passwd} and {@code /etc/group} with root and nobody, {@code /tmp} (1777),
 * {@code /root}, and empty {@code /dev}, {@code /proc}, {@code /sys} for the runtime to mount on.
 */
public final class BusyboxRootfs {
    /** Where Debian's busybox-static installs it. */
    public static final Path HOST_BUSYBOX = Path.of("/bin/busybox");

    private static final List<String> APPLET_DIRS = List.of("bin/", "sbin/", "usr/bin/", "usr/sbin/");

    private final Path busybox;

    public BusyboxRootfs(Path busybox) {
        this.busybox = busybox;
    }

    /** Builds the tree into {@code target}, which must be empty or absent. */
    public void build(Path target) {
        if (!Files.isExecutable(busybox)) {
            throw BerthException.precondition("busybox not found at " + busybox + " (apt-get install busybox-static)");
        }
        List<String> applets = listApplets();
        try {
            Files.createDirectories(target);
            for (String dir : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "root", "dev", "proc", "sys", "home", "var")) {
                Files.createDirectories(target.resolve(dir));
            }
            Files.setPosixFilePermissions(target.resolve("root"), PosixFilePermissions.fromString("rwx------"));
            Path tmp = Files.createDirectories(target.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
            // the sticky bit is outside PosixFilePermissions; chmod it through the file attribute view
            Files.setAttribute(tmp, "unix:mode", 01777);
            Path binary = target.resolve("bin/busybox");
            Files.copy(busybox, binary, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String applet : applets) {
                Path link = target.resolve(applet);
                if (applet.equals("bin/busybox") || Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Files.createSymbolicLink(link, link.getParent().relativize(binary));
            }
            write(target.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
            write(target.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
            stampTimes(target, Files.getLastModifiedTime(busybox));
        } catch (IOException e) {
            throw BerthException.internal("cannot build busybox rootfs in " + target + ": " + e.getMessage(), e);
        }
    }

    /** Applet paths relative to the root, e.g. {@code bin/ls}, only under the usual bin directories. */
    List<String> listApplets() {
        String output;
        try {
            Process p = new ProcessBuilder(busybox.toString(), "--list-full").redirectErrorStream(true).start();
            p.getOutputStream().close();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw BerthException.internal(busybox + " --list-full failed: " + output.strip());
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot run " + busybox + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("interrupted running " + busybox, e);
        }
        List<String> applets = new ArrayList<>();
        for (String line : output.split("\n")) {
            String applet = line.strip();
            // only plain names in the usual directories: a path from the binary must never climb out
            for (String dir : APPLET_DIRS) {
                String name = applet.startsWith(dir) ? applet.substring(dir.length()) : "";
                if (!name.isEmpty() && name.indexOf('/') < 0 && !name.equals(".") && !name.equals("..")) {
                    applets.add(applet);
                    break;
                }
            }
        }
        return applets;
    }

    /**
     * Gives every entry the same modification time (that of the busybox binary), so that the same
     * busybox always packs into the same layer: a reproducible diff id, shared by every build.
     */
    private static void stampTimes(Path root, java.nio.file.attribute.FileTime time) throws IOException {
        try (var all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        .setTimes(time, time, null);
            }
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
}
