package dev.berth.cli.commands.cp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a tar from a container into a local directory as docker's Untar does for cp:
 * entry names rebased first, nothing written outside the directory, a directory never replaced
 * by a file nor a file by a directory (noOverwriteDirNonDir), owners left as they are (the files
 * belong to whoever runs the copy), modes and times as the archive has them.
 */
final class LocalUntar {
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private LocalUntar() {}

    /** An entry name as it should land, or null to keep it. */
    interface Rename {
        String apply(String name);
    }

    static void extract(InputStream in, Path dest, Rename rename) throws IOException {
        Path root = dest.toAbsolutePath().normalize();
        List<Path> dirs = new ArrayList<>();
        List<FileTime> dirTimes = new ArrayList<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            String name = CopyPaths.clean(rename.apply(entry.getName()));
            if (name.startsWith("/")) {
                name = CopyPaths.clean(name.substring(1));
            }
            Path path = root.resolve(name).normalize();
            if (!path.startsWith(root)) {
                throw new IOException("archive entry \"" + entry.getName() + "\" is outside of \"" + root + "\"");
            }
            Path parent = path.getParent();
            if (parent != null && !Files.exists(parent, NO_FOLLOW)) {
                Files.createDirectories(parent);
            }
            if (Files.exists(path, NO_FOLLOW)) {
                boolean existingDir = Files.isDirectory(path, NO_FOLLOW);
                if (existingDir && !entry.isDirectory()) {
                    throw new IOException("cannot overwrite directory \"" + path + "\" with non-directory \"" + root + "\"");
                }
                if (!existingDir && entry.isDirectory()) {
                    throw new IOException("cannot overwrite non-directory \"" + path + "\" with directory \"" + root + "\"");
                }
                if (existingDir && name.equals(".")) {
                    continue;
                }
                if (!existingDir) {
                    Files.delete(path);
                }
            }
            if (entry.isDirectory()) {
                if (!Files.isDirectory(path, NO_FOLLOW)) {
                    Files.createDirectory(path);
                }
                mode(path, entry.getMode());
                dirs.add(path);
                dirTimes.add(FileTime.fromMillis(entry.getModTime().getTime()));
                continue;
            }
            if (entry.isSymbolicLink()) {
                Path target = path.getParent().resolve(entry.getLinkName()).normalize();
                if (!entry.getLinkName().startsWith("/") && !target.startsWith(root)) {
                    throw new IOException("invalid symlink \"" + path + "\" -> \"" + entry.getLinkName() + "\"");
                }
                Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            } else if (entry.isLink()) {
                String linked = CopyPaths.clean(rename.apply(entry.getLinkName()));
                Path target = root.resolve(linked.startsWith("/") ? linked.substring(1) : linked).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("invalid hardlink \"" + target + "\" -> \"" + entry.getLinkName() + "\"");
                }
                Files.createLink(path, target);
                continue;
            } else if (entry.isFile()) {
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    tar.transferTo(out);
                }
                mode(path, entry.getMode());
            } else {
                continue; // devices and fifos: not made by a client copy
            }
            times(path, FileTime.fromMillis(entry.getModTime().getTime()));
        }
        // directories last: their files changed their times while they were filled
        for (int i = 0; i < dirs.size(); i++) {
            times(dirs.get(i), dirTimes.get(i));
        }
    }

    private static void mode(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode & 07777, NO_FOLLOW);
    }

    private static void times(Path path, FileTime time) throws IOException {
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NO_FOLLOW).setTimes(time, time, null);
    }
}
