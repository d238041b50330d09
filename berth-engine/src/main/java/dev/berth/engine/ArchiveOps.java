package dev.berth.engine;

import dev.berth.engine.archive.ArchiveExtractor;
import dev.berth.engine.archive.ArchiveWriter;
import dev.berth.engine.archive.ContainerFs;
import dev.berth.engine.archive.PathStat;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.MountSpec;
import dev.berth.engine.container.Status;
import dev.berth.engine.spec.EtcFiles;
import dev.berth.engine.spec.UserResolver;
import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.User;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * docker cp, the archive API: stat, a tar of a path, a tar extracted into a directory. Running
 * containers are reached through {@code /proc/<init pid>/root} (their own view: volumes, binds,
 * tmpfs and the /etc files included) and frozen for the time of the operation, so no process of
 * theirs can swap a directory for a symlink between our check and our use (CVE-2018-15664).
 * Stopped ones get their snapshot mounted for the time of it, with volumes, binds and the /etc
 * files mapped in by {@link ContainerFs}; their tmpfs mounts have no content then.
 */
final class ArchiveOps {
    private final EngineContext ctx;
    private final FilesystemOps filesystems;

    ArchiveOps(EngineContext ctx, FilesystemOps filesystems) {
        this.ctx = ctx;
        this.filesystems = filesystems;
    }

    /** docker's HEAD archive: the path's stat (its last component not followed). NOT_FOUND in docker's words. */
    PathStat stat(String idOrName, String path) {
        return withFs(idOrName, "stat", (c, fs) -> statOf(fs, idOrName, checkPath(path)).stat());
    }

    /**
     * docker's GET archive: {@code onStat} gets the path's stat before a byte of the tar is
     * written to {@code out} (the route sends it as a header), then the tar. The tar is spooled
     * to a file under the data root first, so the container is unlocked (and a running one
     * unfrozen) before the client reads: a client that reads slowly, or stops reading, holds
     * nothing but its own copy.
     */
    PathStat get(String idOrName, String path, OutputStream out, Consumer<PathStat> onStat) {
        checkPath(path);
        PathStat[] stat = new PathStat[1];
        Path spool = spool("cp-out-", file -> stat[0] = withFs(idOrName, "archive", (c, fs) -> {
            Target t = statOf(fs, idOrName, path);
            ArchiveWriter.write(fs, t.resolved().path(), t.stat().name(), file);
            return t.stat();
        }));
        try (InputStream in = Files.newInputStream(spool)) {
            onStat.accept(stat[0]);
            in.transferTo(out);
        } catch (java.io.IOException e) {
            throw BerthException.internal("archive " + path + " of " + idOrName + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(spool);
        }
        ctx.events.emit("archive-path", inspect(idOrName));
        return stat[0];
    }

    /**
     * docker's PUT archive: extracts the tar into the directory at {@code path} (all links
     * followed). NOT_FOUND when it is missing, INVALID when it is not a directory or is read-only.
     * {@code copyUidGid}: every entry is owned by the container's user (docker cp -a) when it
     * has one; else, and without it, by the archive's owners, as dockerd does.
     */
    void put(String idOrName, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) {
        checkPath(path);
        ctx.table.find(idOrName); // no such container: before the upload is read
        // the upload is spooled before the container is locked (and frozen): a slow client holds nothing
        Path spool = spool("cp-in-", out -> tar.transferTo(out));
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(spool), 1 << 16)) {
            extract(idOrName, path, in, noOverwriteDirNonDir, copyUidGid);
        } catch (java.io.IOException e) {
            throw BerthException.internal("extract to " + path + " of " + idOrName + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(spool);
        }
        ctx.events.emit("extract-to-dir", inspect(idOrName));
    }

    private interface Writing {
        void to(OutputStream out) throws java.io.IOException;
    }

    /** A temp file under {@code <data-root>/tmp} holding what {@code writing} writes. */
    private Path spool(String prefix, Writing writing) {
        Path file = null;
        try {
            file = Files.createTempFile(Files.createDirectories(ctx.options.dataRoot().resolve("tmp")), prefix, ".tar");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                writing.to(out);
            }
            return file;
        } catch (java.io.IOException e) {
            deleteQuietly(file);
            throw BerthException.internal("spool an archive: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (java.io.IOException ignored) {
                // data-root/tmp is swept at the next open
            }
        }
    }

    private void extract(String idOrName, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) {
        withFs(idOrName, "extract to", (c, fs) -> {
            ContainerFs.Resolved dest = fs.resolve(path, true);
            if (!Files.exists(dest.host(), LinkOption.NOFOLLOW_LINKS)) {
                throw notFound(path, idOrName);
            }
            if (!Files.isDirectory(dest.host(), LinkOption.NOFOLLOW_LINKS)) {
                throw BerthException.invalid("extraction point is not a directory");
            }
            checkWritable(c, dest.path());
            // dockerd's copyUIDGID: the container's user when it has one, else the archive's owners as without it
            Optional<long[]> owner = copyUidGid && !c.config().user().isEmpty() ? Optional.of(ownerOf(c, fs)) : Optional.empty();
            new ArchiveExtractor(fs, ctx.sys, noOverwriteDirNonDir, owner).extract(dest.path(), tar);
            return null;
        });
    }

    private Container inspect(String idOrName) {
        return ctx.table.find(idOrName).container;
    }

    private static String checkPath(String path) {
        if (path == null || path.isEmpty()) {
            throw BerthException.invalid("path is required");
        }
        return path;
    }

    private record Target(ContainerFs.Resolved resolved, PathStat stat) {}

    /**
     * docker's ResolvePath then StatPath: the directory part resolved in scope, the base not
     * followed unless the path ends in "/" or "/."; a symlink's target given resolved.
     */
    private static Target statOf(ContainerFs fs, String idOrName, String path) {
        boolean followLast = path.endsWith("/") || path.endsWith("/.") || path.equals(".");
        ContainerFs.Resolved r = fs.resolve(path, followLast);
        Path host = r.host();
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
            throw notFound(path, idOrName);
        }
        boolean dir = Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS);
        if (followLast && !dir) {
            throw BerthException.invalid("lstat " + path + ": not a directory");
        }
        String linkTarget = Files.isSymbolicLink(host) ? fs.resolve(path, true).path() : "";
        return new Target(r, PathStat.of(host, baseName(path), linkTarget));
    }

    /** Go's filepath.Base of the absolute path: trailing slashes dropped, "/." keeps ".", "/" stays "/". */
    static String baseName(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/") || p.isEmpty()) {
            return "/";
        }
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static BerthException notFound(String path, String idOrName) {
        return BerthException.notFound("Could not find the file " + path + " in container " + idOrName);
    }

    /** docker refuses to extract into a read-only volume or bind, or into a read-only rootfs. */
    private static void checkWritable(Container c, String dest) {
        MountSpec best = null;
        for (MountSpec m : c.hostConfig().allMounts()) {
            String t = m.target().length() > 1 && m.target().endsWith("/") ? m.target().substring(0, m.target().length() - 1)
                    : m.target();
            if ((dest.equals(t) || dest.startsWith(t + "/")) && (best == null || t.length() > best.target().length())) {
                best = m;
            }
        }
        if (best != null) {
            if (best.readOnly()) {
                throw BerthException.invalid("mounted volume is marked read-only");
            }
        } else if (c.hostConfig().readonlyRootfs()) {
            throw BerthException.invalid("container rootfs is marked read-only");
        }
    }

    /** uid and gid of the container's Config.User in its /etc/passwd and /etc/group (dockerd looks in the host's: a bug). */
    private static long[] ownerOf(Container c, ContainerFs fs) {
        String user = c.config().user();
        Path root = fs.host("/");
        // the files are read as plain paths under the root: refuse links that would lead elsewhere
        for (String f : List.of("/etc/passwd", "/etc/group")) {
            if (!fs.resolve(f, true).path().equals(f)) {
                throw BerthException.invalid("cannot resolve the container's user: " + f + " is a symbolic link");
            }
        }
        User u = UserResolver.resolve(user, root);
        return new long[] {u.uid(), u.gid()};
    }

    private interface FsAction<T> {
        T apply(Container c, ContainerFs fs);
    }

    /** The container's file tree for the action, under its lock (see the class comment). */
    private <T> T withFs(String idOrName, String verb, FsAction<T> action) {
        ctx.ensureOpen();
        Function<FilesystemOps.RootfsAccess, T> body = r -> {
            Container c = r.container();
            if (r.running() && c.state().pid() > 0) {
                boolean freeze = c.status() == Status.RUNNING;
                if (freeze) {
                    ctx.runtime.pause(c.id());
                }
                try {
                    return action.apply(c, new ContainerFs(Path.of("/proc/" + c.state().pid() + "/root"), List.of()));
                } finally {
                    if (freeze) {
                        EngineContext.quietly(() -> ctx.runtime.resume(c.id()));
                    }
                }
            }
            return action.apply(c, new ContainerFs(r.rootfs(), mountsOf(c)));
        };
        return filesystems.withRootfs(idOrName, verb, body);
    }

    /** What the runtime would mount over a stopped container's root: volumes, binds and the /etc files. */
    private List<ContainerFs.Mount> mountsOf(Container c) {
        List<ContainerFs.Mount> out = new ArrayList<>();
        Path dir = ctx.store.dir(c.id());
        for (String f : List.of(EtcFiles.HOSTNAME, EtcFiles.HOSTS, EtcFiles.RESOLV_CONF)) {
            Path p = dir.resolve(f);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                out.add(new ContainerFs.Mount("/etc/" + f, p, false));
            }
        }
        for (MountSpec m : c.hostConfig().allMounts()) {
            String target = ContainerFs.clean(m.target());
            switch (m.type()) {
                case VOLUME -> ctx.volumes.find(m.source())
                        .ifPresent(v -> out.add(new ContainerFs.Mount(target, v.mountpoint(), m.readOnly())));
                case BIND -> out.add(new ContainerFs.Mount(target, Path.of(m.source()), m.readOnly()));
                case TMPFS -> { } // its content lives only while the container runs
            }
        }
        return out;
    }
}
