package dev.berth.image.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AsyncTeeInputStreamTest {
    @Test
    void theCopyGetsExactlyWhatWasReadInAnyReadSizes() throws Exception {
        byte[] data = new byte[5 * (1 << 20) + 123];
        new Random(3).nextBytes(data);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        AsyncTeeInputStream tee = new AsyncTeeInputStream(new ByteArrayInputStream(data), copy);
        byte[] big = new byte[3 << 20];
        read.write(tee.read());
        for (int n; (n = tee.read(big, 7, big.length - 7)) >= 0; ) {
            read.write(big, 7, n);
        }
        tee.finish();
        assertThat(read.toByteArray()).isEqualTo(data);
        assertThat(copy.toByteArray()).isEqualTo(data);
    }

    @Test
    void aFailingCopyNeverBlocksTheReaderAndIsReportedAsInternal() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        AsyncTeeInputStream tee = new AsyncTeeInputStream(new ByteArrayInputStream(new byte[40 << 20]), broken);
        tee.transferTo(OutputStream.nullOutputStream());
        assertThatThrownBy(tee::finish).isInstanceOf(BerthException.class).hasMessageContaining("No space left on device")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INTERNAL);
    }
}
