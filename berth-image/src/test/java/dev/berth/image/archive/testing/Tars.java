package dev.berth.image.archive.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Tar archives for tests, written and read with commons-compress (not with the code under test). */
public final class Tars {
    private Tars() {
    }

    /** Entries in order; a value of type {@code Link} makes a symlink. */
    public static byte[] tar(Map<String, ?> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, ?> e : entries.entrySet()) {
                if (e.getValue() instanceof Link link) {
                    TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_SYMLINK, true);
                    entry.setLinkName(link.target());
                    out.putArchiveEntry(entry);
                } else {
                    byte[] content = e.getValue() instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) e.getValue();
                    TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                    entry.setSize(content.length);
                    entry.setMode(0644);
                    out.putArchiveEntry(entry);
                    out.write(content);
                }
                out.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public record Link(String target) {
    }

    /** Every regular file of an archive by name. */
    public static Map<String, byte[]> read(byte[] archive) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.isFile()) {
                    out.put(e.getName(), in.readAllBytes());
                } else if (e.isSymbolicLink()) {
                    out.put(e.getName(), ("-> " + e.getLinkName()).getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static byte[] resource(String name) {
        try (InputStream in = Tars.class.getResourceAsStream("/archives/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small layer: a tar holding the given files. */
    public static byte[] layer(String... nameThenContent) {
        Map<String, Object> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            files.put(nameThenContent[i], nameThenContent[i + 1]);
        }
        return tar(files);
    }
}
