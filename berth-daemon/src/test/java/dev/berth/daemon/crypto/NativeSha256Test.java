package dev.berth.daemon.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** libcrypto's SHA-256 agrees with the JDK's, across the chunking and on reuse after digest. */
class NativeSha256Test {
    @Test
    void agreesWithTheJdk() throws Exception {
        Assumptions.assumeTrue(NativeSha256.available(), "no libcrypto on this host");
        MessageDigest jdk = MessageDigest.getInstance("SHA-256", "SUN");
        NativeSha256 ours = new NativeSha256();
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 55, 64, 65_535, 65_536, 65_537, 1 << 20}) {
            byte[] data = new byte[size + 10];
            random.nextBytes(data);
            jdk.update(data, 5, size);
            // in two uneven pieces, from an offset, so slicing and continuation are exercised
            int half = size / 3;
            ours.engineUpdate(data, 5, half);
            ours.engineUpdate(data, 5 + half, size - half);
            assertThat(ours.engineDigest()).as("size " + size).isEqualTo(jdk.digest());
        }
        ours.engineUpdate((byte) 'a');
        assertThat(ours.engineDigest()).isEqualTo(jdk.digest(new byte[] {'a'}));
    }

    @Test
    void installedFirstWhenAvailable() throws Exception {
        Assumptions.assumeTrue(NativeSha256.available(), "no libcrypto on this host");
        assertThat(NativeDigests.install()).isTrue();
        assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).isEqualTo("BerthNative");
        assertThat(MessageDigest.getInstance("SHA-256").digest("abc".getBytes()))
                .isEqualTo(MessageDigest.getInstance("SHA-256", "SUN").digest("abc".getBytes()));
    }
}
