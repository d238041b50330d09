package dev.berth.image.layer;

import dev.berth.image.io.FileTrees;
import static dev.berth.image.layer.EntryNames.quote;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The file system side of an unpack: creates entries under the root, never through a symlink.
 *
 * <p>Safety rests on one invariant: the root starts empty and only this class writes into it,
 * so a path component is a real directory exactly when it is in {@link #dirs}. A parent that is
 * not there is looked at once with lstat: missing parents are created (0755, as docker does), a
 * symlink parent is an escape and is refused, never followed. Final components are created with
 * O_EXCL/NOFOLLOW calls, so an existing symlink of the same name is replaced, not written through.
 */
final class LayerTarget {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path root;
    private final Syscalls sys;
    /** Directories known to exist, relative path → has the setgid bit (children inherit its group). */
    private final Map<String, Boolean> dirs = new HashMap<>();
    /** Directory times are set last: creating their children would change them again. */
    private final Map<String, EntryMeta> dirTimes = new LinkedHashMap<>();
    /** Regular files being created on writer threads; any other change to their paths waits for them. */
    private final PendingWrites writes = new PendingWrites();
    private long size;

    LayerTarget(Path root, Syscalls sys) {
        this.root = root;
        this.sys = sys;
        dirs.put("", false);
    }

    /** Bytes of file content and symlink targets written so far (hard links counted once). */
    long size() {
        return size;
    }

    void directory(String name, String clean, EntryMeta meta) {
        // an existing directory's new mode (setgid) must not meet children still being created
        settle(clean);
        boolean inherit = ensureParent(name, clean);
        Path p = path(clean);
        if (!dirs.containsKey(clean)) {
            try {
                create(name, clean, () -> Files.createDirectory(p));
            } catch (IOException e) {
                throw failed(name, e);
            }
            dirs.put(clean, false);
            applyMeta(name, p, false, inherit, 0777, false, meta);
        } else {
            applyMeta(name, p, false, true, -1, false, meta);
        }
        dirs.put(clean, (meta.mode() & 02000) != 0);
        dirTimes.remove(clean);
        dirTimes.put(clean, meta);
    }

    /** Creates an empty regular file for the content to be copied into. */
    FileChannel openFile(String name, String clean) {
        settle(clean);
        ensureParent(name, clean);
        Path p = path(clean);
        FileChannel[] ch = new FileChannel[1];
        try {
            create(name, clean, () -> ch[0] = FileChannel.open(p, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw failed(name, e);
        }
        return ch[0];
    }

    void fileDone(String name, String clean, long written, EntryMeta meta) {
        size += written;
        applyMeta(name, path(clean), false, inheritsGroup(clean), 0666, true, meta);
    }

    /**
     * Whether a regular file at {@code clean} may be handed to a writer thread: not when it
     * replaces a directory (that deletes a tree the reader keeps track of) or the root.
     */
    boolean canHandOver(String clean) {
        return PendingWrites.enabled() && !clean.isEmpty() && !dirs.containsKey(clean);
    }

    /** Blocks until {@code cost} (from {@link PendingWrites#cost}) may be held in memory. */
    void reserve(int cost) {
        writes.reserve(cost);
    }

    /**
     * Creates a regular file holding {@code data[0, length)} on a writer thread, with the same
     * exclusive, non-following create as {@link #openFile}; its parents are made now, here.
     * Requires {@link #canHandOver} and a {@link #reserve}d {@code cost}.
     */
    void writeFileLater(String name, String clean, byte[] data, int length, int cost, EntryMeta meta) {
        settle(clean);
        boolean inherit = ensureParent(name, clean);
        Path p = path(clean);
        size += length;
        writes.submit(clean, cost, () -> writeFile(name, p, data, length, inherit, meta));
    }

    /** On a writer thread: touches nothing but {@code p}, and this object's immutable fields. */
    private void writeFile(String name, Path p, byte[] data, int length, boolean inherit, EntryMeta meta) {
        try (FileChannel ch = createFile(p)) {
            ByteBuffer b = ByteBuffer.wrap(data, 0, length);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw failed(name, e);
        }
        applyMeta(name, p, false, inherit, 0666, true, meta);
    }

    /** {@link #create} for a path that is not a directory: a name taken by an earlier entry is replaced. */
    private static FileChannel createFile(Path p) throws IOException {
        try {
            return FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (FileAlreadyExistsException e) {
            Files.delete(p);
            return FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** Waits for the writers when the next change at {@code clean} could meet their work. */
    private void settle(String clean) {
        if (writes.isPending(clean) || (dirs.containsKey(clean) && !writes.isEmpty())) {
            writes.await();
        }
    }

    /** Waits for the writers (after a failure elsewhere, before the caller removes the partial layer). */
    void abandon() {
        writes.awaitQuietly();
    }

    void symlink(String name, String clean, String target, EntryMeta meta) {
        settle(clean);
        ensureParent(name, clean);
        Path p = path(clean);
        try {
            create(name, clean, () -> sys.symlink(target, p));
        } catch (IOException e) {
            throw failed(name, e);
        }
        size += target.getBytes(StandardCharsets.UTF_8).length;
        applyMeta(name, p, true, inheritsGroup(clean), -1, true, meta);
    }

    void hardlink(String name, String clean, String linkName) {
        writes.await(); // the target may be a file still being written
        String target;
        try {
            target = EntryNames.clean(linkName);
        } catch (BerthException e) {
            throw BerthException.invalid("layer entry " + quote(name) + " escapes the layer root: it links to "
                    + quote(linkName));
        }
        String targetParent = EntryNames.parent(target);
        if (!dirs.containsKey(targetParent)) {
            // every real directory in the layer is known; anything else is a symlink or a file
            for (String prefix = targetParent; !prefix.isEmpty(); prefix = EntryNames.parent(prefix)) {
                if (Files.isSymbolicLink(path(prefix))) {
                    throw BerthException.invalid("layer entry " + quote(name)
                            + " escapes the layer root: it links to " + quote(linkName) + " through symlink "
                            + quote(prefix));
                }
            }
            throw BerthException.invalid("layer entry " + quote(name) + " links to " + quote(linkName)
                    + ", which is not in the layer");
        }
        if (target.isEmpty() || dirs.containsKey(target)) {
            throw BerthException.invalid("layer entry " + quote(name) + " is a hard link to directory "
                    + quote(linkName));
        }
        if (target.equals(clean)) {
            return;
        }
        Path existing = path(target);
        if (!Files.exists(existing, NOFOLLOW)) {
            throw BerthException.invalid("layer entry " + quote(name) + " links to " + quote(linkName)
                    + ", which is not in the layer");
        }
        ensureParent(name, clean);
        Path p = path(clean);
        try {
            // link(2) does not follow a symlink target: the link is to the symlink itself
            create(name, clean, () -> Files.createLink(p, existing));
        } catch (IOException e) {
            throw failed(name, e);
        }
    }

    /** A character or block device or a fifo; {@code type} is the S_IF* bits. */
    void node(String name, String clean, int type, int major, int minor, EntryMeta meta) {
        settle(clean);
        ensureParent(name, clean);
        Path p = path(clean);
        int perm = meta.mode() & 0777;
        try {
            create(name, clean, () -> sys.mknod(p, type | perm, Syscalls.makedev(major, minor)));
        } catch (IOException e) {
            throw failed(name, e);
        }
        applyMeta(name, p, false, inheritsGroup(clean), perm, true, meta);
    }

    /** ".wh.x" in the tar: an overlayfs whiteout (char 0:0) named x. */
    void whiteout(String name, String clean, String hidden, EntryMeta meta) {
        writes.await();
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw BerthException.invalid("layer entry " + quote(name) + " is a whiteout of nothing");
        }
        String parent = EntryNames.parent(clean);
        String hiddenClean = parent.isEmpty() ? hidden : parent + "/" + hidden;
        ensureParent(name, hiddenClean);
        Path p = path(hiddenClean);
        try {
            create(name, hiddenClean, () -> sys.mknod(p, Syscalls.S_IFCHR, 0));
        } catch (IOException e) {
            throw failed(name, e);
        }
        applyMeta(name, p, false, inheritsGroup(hiddenClean), 0, true,
                new EntryMeta(0, meta.uid(), meta.gid(), meta.mtimeSeconds(), meta.mtimeNanos(), meta.atimeSeconds(),
                        meta.atimeNanos(), Map.of()));
    }

    /** ".wh..wh..opq" in the tar: the directory it sits in hides the layers below. */
    void opaque(String name, String clean) {
        writes.await();
        String dir = EntryNames.parent(clean);
        if (!dirs.containsKey(dir)) {
            ensureParent(name, dir + "/x");
        }
        try {
            sys.lsetxattr(path(dir), Whiteouts.OPAQUE_XATTR, new byte[] {'y'});
        } catch (Errno e) {
            throw failed(name, e);
        }
    }

    /** Waits for the writers, then sets the directories' times: nothing more is created in them. */
    void finish() {
        writes.await();
        for (Map.Entry<String, EntryMeta> d : dirTimes.entrySet()) {
            EntryMeta m = d.getValue();
            try {
                sys.lutimens(path(d.getKey()), m.atimeSeconds(), m.atimeNanos(), m.mtimeSeconds(), m.mtimeNanos());
            } catch (Errno e) {
                throw failed(d.getKey(), e);
            }
        }
    }

    private Path path(String clean) {
        return clean.isEmpty() ? root : root.resolve(clean);
    }

    private boolean inheritsGroup(String clean) {
        return Boolean.TRUE.equals(dirs.get(EntryNames.parent(clean)));
    }

    /** Makes sure every parent of {@code clean} is a real directory; returns whether the parent is setgid. */
    private boolean ensureParent(String name, String clean) {
        if (clean.isEmpty()) {
            return false;
        }
        String parent = EntryNames.parent(clean);
        Boolean setgid = dirs.get(parent);
        if (setgid != null) {
            return setgid;
        }
        int from = 0;
        while (true) {
            int slash = parent.indexOf('/', from);
            String prefix = slash < 0 ? parent : parent.substring(0, slash);
            if (!dirs.containsKey(prefix)) {
                implicitDir(name, prefix);
            }
            if (slash < 0) {
                return dirs.get(parent);
            }
            from = slash + 1;
        }
    }

    private void implicitDir(String name, String prefix) {
        if (writes.isPending(prefix)) {
            writes.await(); // it is a file being written: lstat must see it
        }
        Path p = path(prefix);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            a = null;
        } catch (IOException e) {
            throw failed(name, e);
        }
        if (a == null) {
            boolean inherit = inheritsGroup(prefix);
            try {
                Files.createDirectory(p);
                if (inherit || !ProcessCreds.createdWith(0755, 0777)) {
                    sys.chmod(p, 0755);
                }
            } catch (IOException | Errno e) {
                throw failed(name, e);
            }
            dirs.put(prefix, false);
        } else if (a.isSymbolicLink()) {
            throw BerthException.invalid("layer entry " + quote(name) + " escapes the layer root through symlink "
                    + quote(prefix));
        } else if (a.isDirectory()) {
            dirs.put(prefix, false); // not made by us: cannot happen in an empty root, but harmless
        } else {
            throw BerthException.invalid("layer entry " + quote(name) + " needs " + quote(prefix)
                    + " to be a directory, but it is a file");
        }
    }

    interface Creation {
        void run() throws IOException;
    }

    /** Runs an exclusive create; when the name is taken (a later entry wins), clears it and retries once. */
    private void create(String name, String clean, Creation creation) throws IOException {
        try {
            creation.run();
            return;
        } catch (FileAlreadyExistsException e) {
            // fall through
        } catch (Errno e) {
            if (e.errno() != Errno.EEXIST) {
                throw failed(name, e);
            }
        }
        if (clean.isEmpty()) {
            throw BerthException.invalid("layer entry " + quote(name) + " replaces the layer root");
        }
        Path p = path(clean);
        if (dirs.containsKey(clean)) {
            FileTrees.delete(p);
            forgetDirsUnder(clean);
        } else {
            Files.delete(p);
        }
        try {
            creation.run();
        } catch (Errno e) {
            throw failed(name, e);
        }
    }

    private void forgetDirsUnder(String clean) {
        String prefix = clean + "/";
        dirs.keySet().removeIf(k -> k.equals(clean) || k.startsWith(prefix));
        for (Iterator<String> it = dirTimes.keySet().iterator(); it.hasNext(); ) {
            String k = it.next();
            if (k.equals(clean) || k.startsWith(prefix)) {
                it.remove();
            }
        }
    }

    /**
     * Owner, mode, xattrs and (except for directories) times, skipping the calls a fresh create
     * already satisfied. Order matters: chown clears setuid/setgid and security.capability, so
     * it goes first.
     *
     * @param createMode the mode the create asked for before the umask, or -1 when unknown
     * @param times      false for directories, whose times are set in {@link #finish}
     */
    private void applyMeta(String name, Path p, boolean symlink, boolean force, int createMode, boolean times,
                           EntryMeta m) {
        try {
            boolean chown = false;
            if (ProcessCreds.isRoot() && (force || m.uid() != 0 || m.gid() != 0)) {
                sys.lchown(p, m.uid(), m.gid());
                chown = true;
            }
            if (!symlink && (force || chown || createMode < 0 || !ProcessCreds.createdWith(m.mode(), createMode))) {
                sys.chmod(p, m.mode());
            }
            if (!m.xattrs().isEmpty()) {
                setXattrs(p, m);
            }
            if (times) {
                sys.lutimens(p, m.atimeSeconds(), m.atimeNanos(), m.mtimeSeconds(), m.mtimeNanos());
            }
        } catch (Errno e) {
            throw failed(name, e);
        }
    }

    private void setXattrs(Path p, EntryMeta m) {
        for (Map.Entry<String, byte[]> x : m.xattrs().entrySet()) {
            // overlayfs reads trusted.overlay.* (redirects, opaque): only whiteout entries may make those
            if (x.getKey().startsWith(Whiteouts.OVERLAY_XATTR_PREFIX)) {
                continue;
            }
            try {
                sys.lsetxattr(p, x.getKey(), x.getValue());
            } catch (Errno e) {
                // e.g. security.selinux on a host without SELinux: skipped, as docker does
                if (e.errno() != Errno.EOPNOTSUPP && e.errno() != Errno.EPERM) {
                    throw e;
                }
            }
        }
    }

    private static BerthException failed(String name, Exception e) {
        if (e instanceof BerthException b) {
            return b;
        }
        return BerthException.internal("unpacking layer entry " + quote(name) + ": " + e.getMessage(), e);
    }
}
