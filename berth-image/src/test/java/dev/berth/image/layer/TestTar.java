package dev.berth.image.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds layer tars in tests, hostile ones included (commons-compress writes what it is told). */
final class TestTar {
    static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

    TestTar() {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    TestTar file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
    }

    TestTar file(String name, byte[] content, int mode, int uid, int gid) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        e.setSize(content.length);
        return put(e, mode, uid, gid, content);
    }

    TestTar dir(String name, int mode) {
        return put(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true), mode, 0, 0, null);
    }

    TestTar dir(String name, int mode, int uid, int gid, Instant mtime) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
        e.setModTime(mtime.toEpochMilli());
        return write(e, mode, uid, gid, null);
    }

    TestTar symlink(String name, String target) {
        return symlink(name, target, 0, 0);
    }

    TestTar symlink(String name, String target, int uid, int gid) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        return put(e, 0777, uid, gid, null);
    }

    TestTar hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        return put(e, 0644, 0, 0, null);
    }

    TestTar device(String name, byte type, int major, int minor, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return put(e, mode, 0, 0, null);
    }

    /** A local PAX header with raw (possibly binary) values, applying to the next entry. */
    TestTar rawPax(Map<String, byte[]> records) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
            int rest = 1 + key.length + 1 + r.getValue().length + 1; // " key=value\n"
            int len = rest + String.valueOf(rest).length();
            if (String.valueOf(len).length() != String.valueOf(rest).length()) {
                len++;
            }
            body.writeBytes(String.valueOf(len).getBytes(StandardCharsets.US_ASCII));
            body.write(' ');
            body.writeBytes(key);
            body.write('=');
            body.writeBytes(r.getValue());
            body.write('\n');
        }
        TarArchiveEntry e = new TarArchiveEntry("PaxHeaders/next", TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
        e.setSize(body.size());
        return put(e, 0644, 0, 0, body.toByteArray());
    }

    private TestTar put(TarArchiveEntry e, int mode, int uid, int gid, byte[] content) {
        e.setModTime(MTIME.toEpochMilli());
        return write(e, mode, uid, gid, content);
    }

    private TestTar write(TarArchiveEntry e, int mode, int uid, int gid, byte[] content) {
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        try {
            tar.putArchiveEntry(e);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    byte[] bytes() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }
}
