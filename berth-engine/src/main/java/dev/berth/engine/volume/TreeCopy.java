package dev.berth.engine.volume;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies a directory tree as docker fills a new volume from the image: content, owners, modes
 * (setuid, setgid, sticky included) and modification times; symlinks copied as links (never
 * followed), device nodes and fifos made again, sockets skipped. The target directory itself
 * takes the source's owner and mode, as docker's copyOwnership does.
 */
public final class TreeCopy {
    private static final String ATTRS = "unix:mode,uid,gid,rdev,lastModifiedTime";

    private final Syscalls sys;

    public TreeCopy(Syscalls sys) {
        this.sys = sys;
    }

    /** Copies what is in {@code from} (a real directory) into {@code to} (an existing directory). */
    public void copyContents(Path from, Path to) {
        try {
            children(from, to);
            meta(to, Files.readAttributes(from, ATTRS, LinkOption.NOFOLLOW_LINKS), false);
        } catch (IOException e) {
            throw BerthException.internal("copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private void children(Path from, Path to) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(from)) {
            entries = s.sorted().toList();
        }
        for (Path p : entries) {
            Path target = to.resolve(p.getFileName().toString());
            Map<String, Object> a = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
            int mode = (int) a.get("mode");
            switch (mode & 0170000) {
                case 0040000 -> {
                    Files.createDirectory(target);
                    children(p, target);
                }
                case 0100000 -> Files.copy(p, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                case 0120000 -> sys.symlink(Files.readSymbolicLink(p).toString(), target);
                case 0020000, 0060000, 0010000 -> sys.mknod(target, mode & 0177777, (long) a.get("rdev"));
                default -> {
                    continue; // a socket belongs to a process
                }
            }
            meta(target, a, (mode & 0170000) == 0120000);
        }
    }

    private void meta(Path target, Map<String, Object> a, boolean symlink) {
        sys.lchown(target, ((Number) a.get("uid")).intValue(), ((Number) a.get("gid")).intValue());
        if (!symlink) {
            sys.chmod(target, (int) a.get("mode") & 07777); // after chown, which clears setuid and setgid
        }
        long mtime = ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond();
        sys.lutimens(target, mtime, 0, mtime, 0);
    }
}
