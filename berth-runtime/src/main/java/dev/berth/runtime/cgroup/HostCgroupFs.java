package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** {@link CgroupFs} over java.nio: the real cgroup mounts, or plain directories in tests. */
final class HostCgroupFs implements CgroupFs {
    static final HostCgroupFs INSTANCE = new HostCgroupFs();

    @Override
    public String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw BerthException.internal("cannot read " + file + ": " + reason(e), e);
        }
    }

    @Override
    public void write(Path file, String value) {
        // O_TRUNC is harmless on cgroupfs and makes fixture files behave like the kernel's.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
            int written = ch.write(bytes);
            if (bytes.hasRemaining()) {
                throw BerthException.internal("short write to " + file + ": " + written + " of "
                        + bytes.limit() + " bytes");
            }
        } catch (IOException e) {
            throw BerthException.internal(
                    "cannot write \"" + value.strip() + "\" to " + file + ": " + reason(e), e);
        }
    }

    @Override
    public boolean mkdir(Path dir) {
        try {
            Files.createDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) {
                return false;
            }
            throw BerthException.internal("cannot create cgroup " + dir + ": a file is in the way", e);
        } catch (IOException e) {
            throw BerthException.internal("cannot create cgroup " + dir + ": " + reason(e), e);
        }
    }

    @Override
    public boolean rmdir(Path dir) {
        try {
            Files.delete(dir);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw BerthException.internal("cannot remove cgroup " + dir + ": " + reason(e), e);
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public OptionalLong inode(Path dir) {
        try {
            return OptionalLong.of((Long) Files.getAttribute(dir, "unix:ino"));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw BerthException.internal("cannot stat cgroup " + dir + ": " + reason(e), e);
        }
    }

    @Override
    public List<Path> childDirs(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw BerthException.internal("cannot list cgroup " + dir + ": " + reason(e), e);
        }
    }

    /** The errno text in lower case ("device or resource busy"), without repeating the path. */
    static String reason(IOException e) {
        String text;
        if (e instanceof NoSuchFileException) {
            text = "no such file or directory";
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            text = "permission denied";
        } else if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            text = "directory not empty";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            text = fse.getReason();
        } else if (e instanceof FileSystemException) {
            text = e.getClass().getSimpleName();
        } else {
            text = String.valueOf(e.getMessage());
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
