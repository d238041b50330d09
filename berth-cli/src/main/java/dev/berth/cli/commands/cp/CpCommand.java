package dev.berth.cli.commands.cp;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.commands.PathSegment;
import dev.berth.cli.format.Units;
import dev.berth.client.ApiResponse;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth cp}: files between a container and the local filesystem through
 * /containers/{id}/archive (HEAD to stat, GET a tar out, PUT a tar in), with docker's rules
 * for what lands where: an existing directory receives the source under its own name, a path
 * that does not exist becomes the copy, a trailing "/" demands a directory and "/." copies a
 * directory's contents. {@code -} is a tar on stdin or stdout.
 */
@Command(name = "cp", description = "Copy files/folders between a container and the local filesystem",
        // docker's second form names "docker cp" even under "docker container cp"
        customSynopsis = {"${COMMAND-FULL-NAME} [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-",
            "berth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH"})
public final class CpCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information)")
    boolean archive;

    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH")
    boolean followLink;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output during copy. Progress output is "
            + "automatically suppressed if no terminal is attached")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "CONTAINER:SRC_PATH")
    String source;

    @Parameters(index = "1", paramLabel = "DEST_PATH")
    String destination;

    public CpCommand(Cli cli) {
        this.cli = cli;
    }

    /** docker's splitCpArg: "name:path", unless the argument is absolute or starts with "." (a local path). */
    record Arg(String container, String path) {
        static Arg parse(String arg) {
            if (arg.startsWith("/")) {
                return new Arg("", arg);
            }
            int colon = arg.indexOf(':');
            if (colon < 0 || arg.startsWith(".")) {
                return new Arg("", arg);
            }
            return new Arg(arg.substring(0, colon), arg.substring(colon + 1));
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (source.isEmpty()) {
            throw new CommandFailed("source can not be empty");
        }
        if (destination.isEmpty()) {
            throw new CommandFailed("destination can not be empty");
        }
        Arg src = Arg.parse(source);
        Arg dst = Arg.parse(destination);
        if (!src.container().isEmpty() && !dst.container().isEmpty()) {
            throw new CommandFailed("copying between containers is not supported");
        }
        if (!src.container().isEmpty()) {
            fromContainer(src.container(), src.path(), dst.path());
            return 0;
        }
        if (!dst.container().isEmpty()) {
            toContainer(dst.container(), src.path(), dst.path());
            return 0;
        }
        throw new CommandFailed("must specify at least one container source");
    }

    private String archivePath(String container) {
        return "/containers/" + PathSegment.escape(container) + "/archive";
    }

    /** HEAD …/archive?path=: the path's stat, or null when the daemon refuses (docker goes on then). */
    private PathStat stat(String container, String path) {
        try (ApiResponse r = cli.client().send("HEAD", archivePath(container), Query.of().add("path", path), null, null,
                null)) {
            return PathStat.decode(r.header(PathStat.HEADER));
        } catch (DaemonException e) {
            return null;
        }
    }

    private void fromContainer(String container, String srcPath, String dstArg) throws IOException {
        String dstPath = dstArg.equals("-") ? "-" : CopyPaths.resolveLocal(dstArg);
        if (!dstPath.equals("-")) {
            validateOutputPath(dstPath);
        }
        String rebaseName = "";
        if (followLink) {
            PathStat s = stat(container, srcPath);
            if (s != null && s.isSymlink()) {
                String target = s.linkTarget();
                if (!target.startsWith("/")) {
                    target = CopyPaths.clean(CopyPaths.splitDirEntry(srcPath).dir() + "/" + target);
                }
                String[] rebased = CopyPaths.rebaseName(srcPath, target);
                srcPath = rebased[0];
                rebaseName = rebased[1];
            }
        }
        try (ApiResponse r = cli.client().send("GET", archivePath(container), Query.of().add("path", srcPath), null, null,
                null)) {
            if (dstPath.equals("-")) {
                r.body().transferTo(cli.out);
                cli.out.flush();
                return;
            }
            PathStat stat = PathStat.decode(r.header(PathStat.HEADER));
            CountingInputStream counted = new CountingInputStream(r.body());
            extractTo(counted, srcPath, stat.isDir(), rebaseName, dstPath);
            done(counted.count(), dstArg.equals("-") ? "-" : dstPath);
        }
    }

    /** docker's CopyTo: where the archive goes and how its entries are renamed, then Untar. */
    private void extractTo(InputStream content, String srcPath, boolean srcIsDir, String rebaseName, String dstPath)
            throws IOException {
        String srcBase = CopyPaths.splitDirEntry(srcPath).base();
        String linkBase = rebaseName.isEmpty() ? srcBase : rebaseName;
        // a link followed with -L: the archive names the target, the copy takes the link's name
        LocalUntar.Rename followed = rebaseName.isEmpty() ? n -> n : n -> CopyPaths.rebase(n, srcBase, rebaseName);
        LocalDestination dst = LocalDestination.of(dstPath);
        CopyPaths.DirEntry dstEntry = CopyPaths.splitDirEntry(dst.path());
        if (dst.exists() && dst.isDir()) {
            LocalUntar.extract(content, Path.of(dst.path()), followed);
        } else if (dst.exists() && srcIsDir) {
            throw new CommandFailed("cannot copy directory");
        } else if (dst.exists()) {
            LocalUntar.extract(content, Path.of(dstEntry.dir()),
                    n -> CopyPaths.rebase(followed.apply(n), linkBase, dstEntry.base()));
        } else if (srcIsDir || !CopyPaths.assertsDirectory(dst.path())) {
            LocalUntar.extract(content, Path.of(dstEntry.dir()),
                    n -> CopyPaths.rebase(followed.apply(n), linkBase, dstEntry.base()));
        } else {
            throw new CommandFailed("no such directory");
        }
    }

    private void toContainer(String container, String srcArg, String dstPath) throws IOException, InterruptedException {
        String srcPath = srcArg.equals("-") ? "-" : CopyPaths.resolveLocal(srcArg);
        String resolvedDst = dstPath;
        PathStat dstStat = stat(container, dstPath);
        if (dstStat != null && dstStat.isSymlink()) {
            String target = dstStat.linkTarget();
            if (!target.startsWith("/")) {
                target = CopyPaths.clean(CopyPaths.splitDirEntry(dstPath).dir() + "/" + target);
            }
            resolvedDst = target;
            dstStat = stat(container, target);
        }
        if (dstStat != null && dstStat.badFileMode() != null) {
            throw new CommandFailed("destination \"" + container + ":" + dstPath
                    + "\" must be a directory or a regular file: " + dstStat.badFileMode());
        }
        boolean exists = dstStat != null;
        boolean isDir = exists && dstStat.isDir();
        Query query = Query.of().add("noOverwriteDirNonDir", "true");
        if (archive) {
            query.add("copyUIDGID", "true");
        }
        if (srcPath.equals("-")) {
            if (!isDir) {
                throw new CommandFailed("destination \"" + container + ":" + dstPath + "\" must be a directory");
            }
            put(container, resolvedDst, query, cli.in);
            return;
        }
        LocalSource src = LocalSource.of(srcPath, followLink);
        CopyPaths.DirEntry dstEntry = CopyPaths.splitDirEntry(resolvedDst);
        String extractDir;
        String rebase;
        if (exists && isDir) {
            extractDir = resolvedDst;
            rebase = src.rebaseName();
        } else if (exists && src.isDir()) {
            throw new CommandFailed("cannot copy directory");
        } else if (exists || src.isDir() || !CopyPaths.assertsDirectory(resolvedDst)) {
            extractDir = dstEntry.dir();
            rebase = dstEntry.base();
        } else {
            throw new CommandFailed("no such directory");
        }
        CopyPaths.DirEntry srcEntry = CopyPaths.splitDirEntry(src.path());
        PipedInputStream pipe = new PipedInputStream(1 << 16);
        PipedOutputStream sink = new PipedOutputStream(pipe);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().daemon().name("cp-tar").start(() -> {
            try (sink) {
                LocalTar.write(Path.of(srcEntry.dir()), srcEntry.base(), rebase, sink);
            } catch (IOException e) {
                failure.set(e);
            }
        });
        CountingInputStream counted = new CountingInputStream(pipe);
        try {
            put(container, extractDir, query, counted);
        } finally {
            pipe.close();
            writer.join();
        }
        if (failure.get() != null && !(failure.get().getMessage() + "").contains("Pipe closed")) {
            throw failure.get();
        }
        done(counted.count(), container + ":" + resolvedDst);
    }

    private void put(String container, String dir, Query query, InputStream body) {
        cli.client().send("PUT", archivePath(container), query.add("path", dir), "application/x-tar", null, body).close();
    }

    /** docker prints this only when stderr is a terminal and -q was not given. */
    private void done(long bytes, String where) {
        if (!quiet && cli.isTerminal(2)) {
            cli.err.println("Successfully copied " + Units.humanSize(bytes, 3) + " to " + where);
        }
    }

    /** docker's ValidateOutputPath for a local destination. */
    private static void validateOutputPath(String path) {
        Path p = Path.of(path);
        Path dir = Path.of(CopyPaths.dir(CopyPaths.clean(path)));
        if (!Files.exists(dir)) {
            throw new CommandFailed("invalid output path: directory \"" + dir + "\" does not exist");
        }
        if (Files.exists(p) && !Files.isDirectory(p) && !Files.isRegularFile(p)) {
            int type;
            try {
                type = (Integer) Files.getAttribute(p, "unix:mode") & 0170000;
            } catch (IOException e) {
                return;
            }
            // Go's ModeDevice: block and character devices; fifos and sockets pass
            if (type == 0020000 || type == 0060000) {
                throw new CommandFailed("invalid output path: \"" + path + "\" must be a directory or a regular file: "
                        + "got a device");
            }
        }
    }
}
