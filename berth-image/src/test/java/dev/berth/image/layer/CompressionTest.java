package dev.berth.image.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CompressionTest {
    private static final byte[] TEXT = "a layer, more or less".repeat(100).getBytes(StandardCharsets.UTF_8);

    @Test
    void detectsByMagicBytesWithoutConsumingThem() throws IOException {
        for (Compression c : Compression.values()) {
            BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(compress(c, TEXT)));
            assertThat(Compression.detect(in)).isEqualTo(c);
            try (InputStream plain = c.decompress(in)) {
                assertThat(plain.readAllBytes()).isEqualTo(TEXT);
            }
        }
    }

    @Test
    void shortAndEmptyStreamsAreUncompressed() {
        assertThat(Compression.detect(new BufferedInputStream(new ByteArrayInputStream(new byte[0]))))
                .isEqualTo(Compression.NONE);
        assertThat(Compression.detect(new BufferedInputStream(new ByteArrayInputStream(new byte[] {0x1f}))))
                .isEqualTo(Compression.NONE);
        assertThat(Compression.detect(new BufferedInputStream(new ByteArrayInputStream(new byte[] {0x28, (byte) 0xb5}))))
                .isEqualTo(Compression.NONE);
    }

    @Test
    void concatenatedGzipMembersAreReadToTheEnd() throws IOException {
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.writeBytes(compress(Compression.GZIP, "one ".getBytes(StandardCharsets.UTF_8)));
        two.writeBytes(compress(Compression.GZIP, "two".getBytes(StandardCharsets.UTF_8)));
        try (InputStream in = Compression.open(new ByteArrayInputStream(two.toByteArray()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("one two");
        }
    }

    @Test
    void brokenZstdFailsWhenRead() throws IOException {
        byte[] z = compress(Compression.ZSTD, HostileLayerTest.randomBytes(100_000));
        byte[] cut = java.util.Arrays.copyOf(z, z.length / 2);
        assertThatThrownBy(() -> {
            try (InputStream in = Compression.open(new ByteArrayInputStream(cut))) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    static byte[] compress(Compression c, byte[] data) throws IOException {
        return switch (c) {
            case NONE -> data;
            case GZIP -> HostileLayerTest.gzip(data);
            case ZSTD -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (ZstdOutputStream z = new ZstdOutputStream(out)) {
                    z.write(data);
                }
                yield out.toByteArray();
            }
        };
    }
}
