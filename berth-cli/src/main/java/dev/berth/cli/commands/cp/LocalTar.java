package dev.berth.cli.commands.cp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A tar of one local file or tree, as docker's TarResourceRebase makes it: entries named from the
 * source's base name (or the rebase name that replaces it), walked in lexical order, directories
 * with a trailing "/", symlinks as links, a file seen before under another name as a hard link;
 * owners as numbers, no user names looked up.
 */
final class LocalTar {
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final TarArchiveOutputStream tar;
    private final Map<String, String> seenInodes = new HashMap<>();

    private LocalTar(OutputStream out) {
        this.tar = new TarArchiveOutputStream(out, 10240);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /**
     * Writes the tar of {@code dir/base} to {@code out}; entry names start with {@code rebase}
     * instead of {@code base} when it is not empty.
     */
    static void write(Path dir, String base, String rebase, OutputStream out) throws IOException {
        LocalTar t = new LocalTar(out);
        Path source = base.equals(".") ? dir : dir.resolve(base);
        t.add(source, rebase.isEmpty() ? base : rebase);
        t.tar.finish();
        t.tar.flush();
    }

    private void add(Path path, String name) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(path, "unix:mode,uid,gid,ino,dev,nlink,lastModifiedTime", NO_FOLLOW);
        int mode = (Integer) attrs.get("mode");
        boolean dir = Files.isDirectory(path, NO_FOLLOW);
        boolean link = Files.isSymbolicLink(path);
        TarArchiveEntry entry;
        if (link) {
            entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else if (dir) {
            entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        } else if (Files.isRegularFile(path, NO_FOLLOW)) {
            String inode = attrs.get("dev") + ":" + attrs.get("ino");
            String first = (Integer) attrs.get("nlink") > 1 ? seenInodes.putIfAbsent(inode, name) : null;
            if (first != null) {
                entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
                entry.setLinkName(first);
            } else {
                entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                entry.setSize(Files.size(path));
            }
        } else {
            return; // sockets, fifos and devices stay behind, as docker's archiver skips sockets
        }
        entry.setMode(mode & 07777);
        entry.setUserId(((Number) attrs.get("uid")).longValue());
        entry.setGroupId(((Number) attrs.get("gid")).longValue());
        entry.setModTime(((FileTime) attrs.get("lastModifiedTime")).toMillis());
        tar.putArchiveEntry(entry);
        if (entry.getLinkFlag() == TarConstants.LF_NORMAL) {
            try (InputStream in = Files.newInputStream(path)) {
                in.transferTo(tar);
            }
        }
        tar.closeArchiveEntry();
        if (dir && !link) {
            List<Path> children;
            try (Stream<Path> list = Files.list(path)) {
                children = list.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
            }
            String prefix = name.endsWith("/") ? name : name + "/";
            for (Path child : children) {
                add(child, prefix + child.getFileName());
            }
        }
    }
}
