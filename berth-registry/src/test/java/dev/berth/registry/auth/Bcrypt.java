package dev.berth.registry.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt hashes for test htpasswd files, at the lowest cost so tests stay fast. */
final class Bcrypt {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Bcrypt() {
    }

    static String hash(String version, String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate(version, password.getBytes(StandardCharsets.UTF_8), salt, 4);
    }

    static String line(String user, String password) {
        return user + ":" + hash("2y", password) + "\n";
    }
}
