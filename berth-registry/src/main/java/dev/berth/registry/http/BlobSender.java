package dev.berth.registry.http;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sends part of a blob file. Large ranges are memory-mapped and handed to Jetty as one buffer:
 * the kernel copies from the page cache straight into the socket, with no copy through the Java
 * heap (Jetty 12 has no sendfile for HTTP/1.1; a mapped buffer is its zero-copy path). The
 * mapping is unmapped as soon as the write completes (a shared arena, closed here), not whenever
 * the GC gets to it. Small ranges are read into a heap buffer: mapping costs more than it saves.
 * Blob files are never written again once visible, so a mapping cannot see them change.
 */
final class BlobSender {
    /** Below this a plain read is cheaper than a mapping. */
    private static final long MAP_THRESHOLD = 256 * 1024;

    private BlobSender() {}

    static void send(RegistryCall call, Path file, long offset, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (length < MAP_THRESHOLD) {
                ByteBuffer buffer = ByteBuffer.allocate((int) length);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, offset + buffer.position()) < 0) {
                        throw new IOException("blob file " + file + " is shorter than recorded");
                    }
                }
                call.write(buffer.flip());
                return;
            }
            try (Arena arena = Arena.ofShared()) {
                MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, offset, length, arena);
                call.write(mapped.asByteBuffer());
            }
        }
    }
}
