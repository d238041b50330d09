package dev.berth.oci.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NativeSha256Test {
    @Test
    void agreesWithTheJdkOnEveryShapeOfInput() throws Exception {
        MessageDigest ours = NativeSha256.createOrNull();
        assumeTrue(ours != null, "no usable libcrypto.so.3 here (apt-get install libssl3); Digest falls back to the JDK");
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 17}) {
            byte[] data = new byte[size + 10];
            random.nextBytes(data);
            MessageDigest jdk = MessageDigest.getInstance("SHA-256");
            jdk.update(data, 5, size);
            // in pieces, a single byte among them, to exercise update's offsets
            if (size > 2) {
                ours.update(data, 5, 1);
                ours.update(data[6]);
                ours.update(data, 7, size - 2);
            } else {
                ours.update(data, 5, size);
            }
            assertThat(ours.digest()).as("size " + size).isEqualTo(jdk.digest());
        }
        // digest() resets, as MessageDigest promises
        assertThat(ours.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest());
    }

    @Test
    void digestUsesItForSha256() {
        assertThat(Digest.sha256("abc".getBytes()).hex()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Digest.of("sha512", new byte[0]).hex()).startsWith("cf83e1357eefb8bd");
    }
}
