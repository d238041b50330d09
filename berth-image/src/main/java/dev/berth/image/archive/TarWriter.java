package dev.berth.image.archive;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A streaming writer of the archives berth saves: directories and regular files only, in POSIX
 * ustar form with a PAX header when a name or size does not fit. It is not a general tar
 * library (layers are packed by {@code LayerPacker}); it exists so that a blob can go from the
 * content store to the output with {@link FileChannel#transferTo} (sendfile) between two
 * headers, which a general writer that counts every byte itself cannot allow.
 */
public final class TarWriter implements Closeable {
    private static final int BLOCK = 512;
    private static final int COPY_BUFFER = 1 << 20;

    private final OutputStream out;
    private final WritableByteChannel channel;
    private final long mtime;
    private final byte[] header = new byte[BLOCK];
    private boolean finished;

    /**
     * A writer onto {@code out}; when it is a {@link FileOutputStream}, file contents are
     * transferred by the kernel. Every entry gets {@code mtimeSeconds} as its modification time
     * so that the same images always make the same archive.
     */
    public TarWriter(OutputStream out, long mtimeSeconds) {
        this(out, out instanceof FileOutputStream f ? f.getChannel() : null, mtimeSeconds);
    }

    /** A writer onto a channel (a file or a socket): file contents go by {@code transferTo}. */
    public TarWriter(WritableByteChannel channel, long mtimeSeconds) {
        this(java.nio.channels.Channels.newOutputStream(channel), channel, mtimeSeconds);
    }

    private TarWriter(OutputStream out, WritableByteChannel channel, long mtimeSeconds) {
        this.out = out;
        this.channel = channel;
        this.mtime = mtimeSeconds;
    }

    public void directory(String name) throws IOException {
        String dir = name.endsWith("/") ? name : name + "/";
        writeHeader(dir, 0, (byte) '5', 0755);
    }

    public void file(String name, byte[] content) throws IOException {
        writeHeader(name, content.length, (byte) '0', 0644);
        out.write(content);
        pad(content.length);
    }

    /** A regular file whose content is the file at {@code source}, sent without copying through the heap when it can. */
    public void file(String name, Path source, long size) throws IOException {
        writeHeader(name, size, (byte) '0', 0644);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            if (in.size() != size) {
                throw new IOException(source + ": expected " + size + " bytes, found " + in.size());
            }
            if (channel != null) {
                out.flush();
                long sent = 0;
                while (sent < size) {
                    long n = in.transferTo(sent, size - sent, channel);
                    if (n <= 0) {
                        throw new IOException(source + ": transfer stopped at " + sent + " of " + size + " bytes");
                    }
                    sent += n;
                }
            } else {
                copy(java.nio.channels.Channels.newInputStream(in), size, source.toString());
            }
        }
        pad(size);
    }

    /** A regular file of exactly {@code size} bytes read from {@code content}. */
    public void file(String name, InputStream content, long size) throws IOException {
        writeHeader(name, size, (byte) '0', 0644);
        copy(content, size, name);
        pad(size);
    }

    /** Ends the archive with its two zero blocks; does not close the underlying stream. */
    public void finish() throws IOException {
        if (!finished) {
            finished = true;
            out.write(new byte[2 * BLOCK]);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    private void copy(InputStream in, long size, String what) throws IOException {
        byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(size, 1))];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException(what + ": ended " + left + " bytes short of " + size);
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }

    private void writeHeader(String name, long size, byte type, int mode) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean longName = nameBytes.length > 100;
        boolean bigSize = size > 077777777777L;
        if (longName || bigSize) {
            StringBuilder pax = new StringBuilder();
            if (longName) {
                pax.append(paxRecord("path", name));
            }
            if (bigSize) {
                pax.append(paxRecord("size", Long.toString(size)));
            }
            byte[] body = pax.toString().getBytes(StandardCharsets.UTF_8);
            String paxName = "PaxHeaders/" + truncate(name, 80);
            fillHeader(paxName.getBytes(StandardCharsets.UTF_8), body.length, (byte) 'x', 0644);
            out.write(header);
            out.write(body);
            pad(body.length);
        }
        fillHeader(longName ? truncate(name, 100).getBytes(StandardCharsets.UTF_8) : nameBytes,
                bigSize ? 0 : size, type, mode);
        out.write(header);
    }

    private void fillHeader(byte[] name, long size, byte type, int mode) {
        Arrays.fill(header, (byte) 0);
        System.arraycopy(name, 0, header, 0, Math.min(name.length, 100));
        octal(mode, 100, 8);
        octal(0, 108, 8);
        octal(0, 116, 8);
        octal(size, 124, 12);
        octal(mtime, 136, 12);
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 6);
        header[263] = '0';
        header[264] = '0';
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(sum, 148, 7);
        header[155] = ' ';
    }

    /** Writes {@code value} as zero-padded octal digits in a field of {@code width} bytes, NUL-terminated. */
    private void octal(long value, int offset, int width) {
        String digits = Long.toOctalString(value);
        int pad = width - 1 - digits.length();
        for (int i = 0; i < pad; i++) {
            header[offset + i] = '0';
        }
        for (int i = 0; i < digits.length(); i++) {
            header[offset + pad + i] = (byte) digits.charAt(i);
        }
        header[offset + width - 1] = 0;
    }

    private static String paxRecord(String key, String value) {
        // the length prefix counts itself, so grow it until it is stable
        int body = key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length + 3;
        int length = body + Integer.toString(body).length();
        if (Integer.toString(length).length() != Integer.toString(body).length()) {
            length = body + Integer.toString(length).length();
        }
        return length + " " + key + "=" + value + "\n";
    }

    private static String truncate(String name, int maxBytes) {
        String s = name;
        while (s.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
