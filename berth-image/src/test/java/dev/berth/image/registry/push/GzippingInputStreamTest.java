package dev.berth.image.registry.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzippingInputStreamTest {

    private static byte[] gzip(byte[] plain) throws IOException {
        try (InputStream in = new GzippingInputStream(new ByteArrayInputStream(plain))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void givesAGzipStreamOfTheInputThatTheJdkReadsBack() throws IOException {
        byte[] plain = "hello layer\n".repeat(100_000).getBytes();
        byte[] gz = gzip(plain);
        assertThat(gz.length).isLessThan(plain.length / 10);
        assertThat(gunzip(gz)).isEqualTo(plain);
    }

    @Test
    void randomDataAndAnEmptyInputRoundTrip() throws IOException {
        byte[] random = new byte[3 << 20];
        new Random(7).nextBytes(random);
        assertThat(gunzip(gzip(random))).isEqualTo(random);
        assertThat(gunzip(gzip(new byte[0]))).isEmpty();
    }

    @Test
    void theSameInputGivesTheSameBytes() throws IOException {
        byte[] plain = new byte[1 << 20];
        new Random(3).nextBytes(plain);
        System.arraycopy("compressible ".repeat(10_000).getBytes(), 0, plain, 0, 130_000);
        assertThat(gzip(plain)).isEqualTo(gzip(plain));
    }

    @Test
    void countsThePlainBytesAndSaysWhenComplete() throws IOException {
        byte[] plain = new byte[300_000];
        GzippingInputStream in = new GzippingInputStream(new ByteArrayInputStream(plain));
        byte[] buf = new byte[7];
        in.read(buf);
        assertThat(in.isComplete()).isFalse();
        while (in.read(buf, 0, buf.length) >= 0) {
            // single small reads must work as well as big ones
        }
        assertThat(in.isComplete()).isTrue();
        assertThat(in.plainBytes()).isEqualTo(plain.length);
        in.close();
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
