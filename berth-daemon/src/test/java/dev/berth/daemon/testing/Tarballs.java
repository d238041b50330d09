package dev.berth.daemon.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small tarballs for tests. */
public final class Tarballs {
    private Tarballs() {}

    /** A root filesystem of one directory and one file, {@code etc/hello} holding {@code content}. */
    public static byte[] rootfs(String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.putArchiveEntry(new TarArchiveEntry("etc/"));
            tar.closeArchiveEntry();
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry f = new TarArchiveEntry("etc/hello");
            f.setSize(data.length);
            tar.putArchiveEntry(f);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
