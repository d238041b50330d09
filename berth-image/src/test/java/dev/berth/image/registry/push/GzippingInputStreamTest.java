package dev.berth.image.registry.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.registry.push.GzippingInputStream.Encoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GzippingInputStreamTest {

    private static byte[] gzip(byte[] plain, Encoder encoder) throws IOException {
        try (InputStream in = new GzippingInputStream(new ByteArrayInputStream(plain), encoder)) {
            return in.readAllBytes();
        }
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** A source that gives a few bytes per read, as a network or a pipe does. */
    private static InputStream trickle(byte[] data) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 4093), data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public int available() {
                return 0; // no reader may count on it to find the next member
            }
        };
    }

    private static byte[] text(int size) {
        byte[] b = new byte[size];
        Random r = new Random(size);
        String[] words = {"usr", "bin", "lib", "share", "locale", "berth", "layer", "x86_64", "\n"};
        int i = 0;
        while (i < size) {
            for (byte c : (words[r.nextInt(words.length)] + " ").getBytes()) {
                if (i < size) {
                    b[i++] = c;
                }
            }
        }
        return b;
    }

    @Test
    void thisHostHasLibdeflateAsInstallDepsInstallsIt() {
        // CI installs libdeflate0 (scripts/install-deps.sh): the fast path is the one tested here
        assertThat(LibDeflate.available()).isTrue();
        assertThat(Encoder.best()).isEqualTo(Encoder.LIBDEFLATE);
    }

    @ParameterizedTest
    @EnumSource(Encoder.class)
    void givesAGzipStreamOfTheInputThatTheJdkReadsBack(Encoder encoder) throws IOException {
        byte[] plain = "hello layer\n".repeat(300_000).getBytes(); // 3.6 MB: several libdeflate members
        byte[] gz = gzip(plain, encoder);
        assertThat(gz.length).isLessThan(plain.length / 10);
        assertThat(gunzip(gz)).isEqualTo(plain);
    }

    @ParameterizedTest
    @EnumSource(Encoder.class)
    void readersThatGetTheBlobInPiecesReadEveryMember(Encoder encoder) throws IOException {
        byte[] plain = text(5 * GzippingInputStream.PIECE + 12345);
        byte[] gz = gzip(plain, encoder);
        try (InputStream in = new GZIPInputStream(trickle(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
        try (InputStream in = GzipCompressorInputStream.builder().setInputStream(trickle(gz))
                .setDecompressConcatenated(true).get()) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @EnumSource(Encoder.class)
    void piecesAtTheEdgesRoundTrip(Encoder encoder) throws IOException {
        int piece = GzippingInputStream.PIECE;
        for (int size : new int[] {0, 1, piece - 1, piece, piece + 1, 2 * piece}) {
            byte[] plain = text(size);
            assertThat(gunzip(gzip(plain, encoder))).as("%d bytes", size).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @EnumSource(Encoder.class)
    void randomDataAndAnEmptyInputRoundTrip(Encoder encoder) throws IOException {
        byte[] random = new byte[3 << 20];
        new Random(7).nextBytes(random);
        assertThat(gunzip(gzip(random, encoder))).isEqualTo(random);
        assertThat(gunzip(gzip(new byte[0], encoder))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Encoder.class)
    void theSameInputGivesTheSameBytes(Encoder encoder) throws IOException {
        byte[] plain = new byte[3 << 20];
        new Random(3).nextBytes(plain);
        System.arraycopy("compressible ".repeat(10_000).getBytes(), 0, plain, 0, 130_000);
        assertThat(gzip(plain, encoder)).isEqualTo(gzip(plain, encoder));
        // and whatever the reads of the source look like
        try (InputStream in = new GzippingInputStream(trickle(plain), encoder)) {
            assertThat(in.readAllBytes()).isEqualTo(gzip(plain, encoder));
        }
    }

    @ParameterizedTest
    @EnumSource(Encoder.class)
    void countsThePlainBytesAndSaysWhenComplete(Encoder encoder) throws IOException {
        byte[] plain = new byte[GzippingInputStream.PIECE + 300_000];
        GzippingInputStream in = new GzippingInputStream(new ByteArrayInputStream(plain), encoder);
        byte[] buf = new byte[7];
        in.read(buf);
        assertThat(in.isComplete()).isFalse();
        while (in.read(buf, 0, buf.length) >= 0) {
            // single small reads must work as well as big ones
        }
        assertThat(in.isComplete()).isTrue();
        assertThat(in.plainBytes()).isEqualTo(plain.length);
        in.close();
        assertThatThrownBy(() -> in.read(buf)).isInstanceOf(IOException.class).hasMessageContaining("closed");
        in.close(); // twice is fine
    }

    @Test
    void libdeflateCompressesTextBetterThanZlibsLevelOne() throws IOException {
        byte[] plain = text(4 << 20);
        assertThat(gzip(plain, Encoder.LIBDEFLATE).length).isLessThanOrEqualTo(gzip(plain, Encoder.ZLIB).length);
    }

    @Test
    void theProbeTellsTextFromRandomBytes() throws IOException {
        byte[] random = new byte[2 << 20];
        new Random(1).nextBytes(random);
        assertThat(GzipProbe.worthCompressing(new ByteArrayInputStream(random))).isFalse();
        assertThat(GzipProbe.worthCompressing(new ByteArrayInputStream("usr/bin/sh\n".repeat(200_000).getBytes()))).isTrue();
        assertThat(GzipProbe.worthCompressing(new ByteArrayInputStream(new byte[0]))).isTrue();
    }
}
