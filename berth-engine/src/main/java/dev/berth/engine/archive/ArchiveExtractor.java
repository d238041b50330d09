package dev.berth.engine.archive;

import dev.berth.image.io.CountingInputStream;
import dev.berth.image.io.FileTrees;
import dev.berth.image.layer.Compression;
import dev.berth.oci.BerthException;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * docker cp's upload: extracts a tar (plain, gzip or zstd) into a directory of a container.
 * Not a layer: no whiteouts, and the target already has content.
 *
 * <p>Hostile archives are confined the way docker's chrooted untar confines them: a name is
 * cleaned lexically and refused when it climbs out of the extraction directory ({@code ../x},
 * {@code a/../../x}), an absolute name is taken relative to it, a hard link may only name
 * something inside it, and every entry's parent is resolved in the container's scope (a
 * symlink the archive itself planted is followed as the container would, never out to the
 * host). The last component is created with O_EXCL / no-follow calls after an existing entry
 * of another kind is removed, so nothing is ever written through a link.
 */
public final class ArchiveExtractor {
    private final ContainerFs fs;
    private final Syscalls sys;
    private final boolean noOverwriteDirNonDir;
    /** uid and gid every entry gets (docker's copyUIDGID: the container's user), else the archive's. */
    private final Optional<long[]> owner;
    private final byte[] buffer = new byte[1 << 16];
    /**
     * Parents already resolved (and made) in this extraction: entries of one directory come one
     * after another, and only this extraction changes the tree meanwhile (a running container is
     * frozen), so they stay valid until it removes something or plants a symlink.
     */
    private final java.util.Map<String, ContainerFs.Resolved> parents = new java.util.HashMap<>();

    public ArchiveExtractor(ContainerFs fs, Syscalls sys, boolean noOverwriteDirNonDir, Optional<long[]> owner) {
        this.fs = fs;
        this.sys = sys;
        this.noOverwriteDirNonDir = noOverwriteDirNonDir;
        this.owner = owner;
    }

    private record DirTime(Path host, long mtimeSeconds) {}

    /** Extracts into {@code dest}, a clean container path already resolved and checked to be a directory. */
    public void extract(String dest, InputStream archive) {
        Deque<DirTime> dirTimes = new ArrayDeque<>();
        try (CountingInputStream counted = new CountingInputStream(Compression.open(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(counted)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entry(dest, e, tar, dirTimes);
            }
            // the tar reader takes a short or garbled last block for the end: Go's, docker's, says unexpected EOF
            counted.transferTo(OutputStream.nullOutputStream());
            if (counted.count() % 512 != 0) {
                throw BerthException.invalid("invalid tar archive: unexpected EOF");
            }
        } catch (java.nio.file.FileSystemException e) {
            throw BerthException.internal("extract to " + dest + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw BerthException.invalid("invalid tar archive: " + e.getMessage());
        } catch (Errno e) {
            throw BerthException.internal("extract to " + dest + ": " + e.getMessage(), e);
        }
        // last: creating a directory's children changed its time
        for (DirTime d : dirTimes) {
            try {
                sys.lutimens(d.host(), d.mtimeSeconds(), 0, d.mtimeSeconds(), 0);
            } catch (Errno ignored) {
                // removed by a later entry
            }
        }
    }

    private void entry(String dest, TarArchiveEntry e, InputStream content, Deque<DirTime> dirTimes) throws IOException {
        if (e.isGlobalPaxHeader() || e.isPaxHeader() || e.isGNULongNameEntry() || e.isGNULongLinkEntry()) {
            return;
        }
        String rel = inside(e.getName(), dest);
        if (rel.isEmpty()) {
            return; // the extraction directory itself ("." or "./"): it exists and stays as it is
        }
        String path = child(dest, rel);
        String parentPath = parentOf(path);
        ContainerFs.Resolved parent = parents.get(parentPath);
        if (parent == null) {
            parent = fs.mkdirs(parentPath);
            parents.put(parentPath, parent);
        }
        String target = child(parent.path(), baseOf(path));
        Path host = fs.host(target);
        boolean exists = Files.exists(host, LinkOption.NOFOLLOW_LINKS);
        if (exists) {
            if (fs.isMountPoint(target) && !e.isDirectory()) {
                throw BerthException.invalid("cannot overwrite mount point \"" + target + "\" with non-directory \"" + dest + "\"");
            }
            boolean isDir = Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS);
            if (noOverwriteDirNonDir && isDir && !e.isDirectory()) {
                throw BerthException.invalid("cannot overwrite directory \"" + target + "\" with non-directory \"" + dest + "\"");
            }
            if (noOverwriteDirNonDir && !isDir && e.isDirectory()) {
                throw BerthException.invalid("cannot overwrite non-directory \"" + target + "\" with directory \"" + dest + "\"");
            }
            if (!(isDir && e.isDirectory())) {
                FileTrees.delete(host);
                parents.clear(); // what was resolved through it may be gone
                exists = false;
            }
        }
        if (e.isDirectory()) {
            if (!exists) {
                Files.createDirectory(host);
            }
        } else if (e.isSymbolicLink()) {
            sys.symlink(e.getLinkName(), host);
            parents.clear(); // a later entry's parent may now lead elsewhere
        } else if (e.isLink()) {
            String linkRel = inside(e.getLinkName(), dest);
            ContainerFs.Resolved existing = fs.resolve(child(dest, linkRel), false);
            if (!Files.exists(existing.host(), LinkOption.NOFOLLOW_LINKS)
                    || Files.isDirectory(existing.host(), LinkOption.NOFOLLOW_LINKS)) {
                throw BerthException.invalid("hard link \"" + e.getName() + "\" names \"" + e.getLinkName()
                        + "\", which is not a file in the archive or at the destination");
            }
            Files.createLink(host, existing.host());
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            int type = e.isCharacterDevice() ? Syscalls.S_IFCHR : e.isBlockDevice() ? Syscalls.S_IFBLK : Syscalls.S_IFIFO;
            sys.mknod(host, type | (e.getMode() & 07777), Syscalls.makedev(e.getDevMajor(), e.getDevMinor()));
        } else if (e.isFile()) {
            try (OutputStream out = Files.newOutputStream(host, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                int n;
                while ((n = content.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            }
        } else {
            return; // another kind of entry (sparse, volume headers): docker's untar skips those too
        }
        applyMeta(e, host);
        if (e.isDirectory()) {
            dirTimes.push(new DirTime(host, e.getModTime().getTime() / 1000));
        } else if (!e.isLink()) {
            long mtime = e.getModTime().getTime() / 1000;
            sys.lutimens(host, mtime, 0, mtime, 0);
        }
    }

    private void applyMeta(TarArchiveEntry e, Path host) {
        if (e.isLink()) {
            return; // a hard link is the file it names
        }
        long uid = owner.map(o -> o[0]).orElse(e.getLongUserId());
        long gid = owner.map(o -> o[1]).orElse(e.getLongGroupId());
        sys.lchown(host, (int) uid, (int) gid);
        if (!e.isSymbolicLink()) {
            sys.chmod(host, e.getMode() & 07777); // after chown, which clears setuid and setgid
        }
    }

    /**
     * The entry name cleaned and relative to the extraction directory ("" for the directory
     * itself): leading slashes dropped, "." and ".." taken lexically; INVALID when it climbs out,
     * in docker's words.
     */
    static String inside(String name, String dest) {
        if (name.indexOf('\0') >= 0) {
            throw BerthException.invalid("tar entry \"" + name + "\" has a NUL byte in its name");
        }
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw BerthException.invalid("\"" + name + "\" is outside of \"" + dest + "\"");
                }
                parts.removeLast();
                continue;
            }
            parts.add(p);
        }
        return String.join("/", parts);
    }

    private static String child(String dir, String rel) {
        return dir.equals("/") ? "/" + rel : dir + "/" + rel;
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static String baseOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
