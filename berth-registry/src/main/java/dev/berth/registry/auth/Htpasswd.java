package dev.berth.registry.auth;

import dev.berth.oci.BerthException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The users of an htpasswd file ({@code htpasswd -B}: {@code name:$2y$10$…} per line), bcrypt
 * only, as distribution's htpasswd auth. Any other hash kind (MD5 {@code $apr1$}, {@code {SHA}},
 * crypt, plain text) is refused when the file is read, naming the line, rather than silently
 * never matching. Blank lines and lines starting with {@code #} are skipped.
 *
 * <p>A bcrypt check costs tens of milliseconds by design, and Basic auth sends the password on
 * every request (a pull is dozens of them). So a password that verified once is remembered as
 * an HMAC under a key that lives only in this object; a new file content is a new object, which
 * drops them all. Unknown users cost a bcrypt too, so timing does not tell which names exist.
 */
public final class Htpasswd {
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final int MIN_COST = 4;
    private static final int MAX_COST = 31;
    private static final int DEFAULT_COST = 10;
    private static final int MAX_REMEMBERED = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> hashes;
    private final int maxCost;
    private final SecretKeySpec rememberKey;
    private final Map<String, byte[]> remembered = new ConcurrentHashMap<>();
    private volatile String dummyHash;

    private Htpasswd(Map<String, String> hashes, int maxCost) {
        this.hashes = Collections.unmodifiableMap(hashes);
        this.maxCost = maxCost;
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        this.rememberKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * @param source the file name, for messages
     * @throws BerthException INVALID_ARGUMENT naming the line of a malformed entry, a repeated
     *     user, a reserved name or a hash that is not bcrypt
     */
    public static Htpasswd parse(String text, String source) {
        Map<String, String> hashes = new LinkedHashMap<>();
        int maxCost = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw BerthException.invalid(where + ": expected name:hash");
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            // no '/': an ACL's ${user}/** must stay one path component, the user's own
            if (Acl.ANONYMOUS.equals(user) || Acl.ANY_USER.equals(user) || user.indexOf('/') >= 0
                    || user.chars().anyMatch(Character::isWhitespace)) {
                throw BerthException.invalid(where + ": user name \"" + user + "\" is reserved or has white space or '/'");
            }
            Matcher m = BCRYPT.matcher(hash);
            if (!m.matches()) {
                // the message names the kind, never the hash itself
                throw BerthException.invalid(where + ": user " + user + " has a " + kindOf(hash)
                        + " hash; only bcrypt ($2y$, $2a$, $2b$) is accepted (make one with htpasswd -B)");
            }
            int cost = Integer.parseInt(m.group(1));
            if (cost < MIN_COST || cost > MAX_COST) {
                throw BerthException.invalid(where + ": user " + user + " has a bcrypt cost of " + cost
                        + ", outside " + MIN_COST + ".." + MAX_COST);
            }
            if (hashes.putIfAbsent(user, hash) != null) {
                throw BerthException.invalid(where + ": user " + user + " appears twice");
            }
            maxCost = Math.max(maxCost, cost);
        }
        return new Htpasswd(hashes, maxCost == 0 ? DEFAULT_COST : maxCost);
    }

    public Set<String> users() {
        return hashes.keySet();
    }

    /** Whether {@code password} (the raw bytes the client sent) is {@code user}'s; constant time in the password. */
    public boolean verify(String user, byte[] password) {
        String hash = hashes.get(user);
        byte[] mac = mac(user, password);
        byte[] known = remembered.get(user);
        if (hash != null && known != null && MessageDigest.isEqual(known, mac)) {
            return true;
        }
        boolean ok;
        try {
            // OpenBSDBCrypt compares the hash strings in constant time
            ok = OpenBSDBCrypt.checkPassword(hash != null ? hash : dummyHash(), password) && hash != null;
        } catch (IllegalArgumentException e) {
            ok = false; // an empty password: BouncyCastle refuses to hash it
        }
        if (ok) {
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
            remembered.put(user, mac);
        }
        return ok;
    }

    /**
     * A short fingerprint of the user's current hash (empty when the user is gone), put into
     * refresh tokens so that a changed password or a removed user ends them.
     */
    public String fingerprint(String user) {
        String hash = hashes.get(user);
        if (hash == null) {
            return "";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(hash.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "Htpasswd[" + hashes.size() + " users]";
    }

    private byte[] mac(String user, byte[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(rememberKey);
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(password);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A hash of nothing anyone knows, at the file's highest cost, checked for unknown users. */
    private String dummyHash() {
        String d = dummyHash;
        if (d == null) {
            byte[] salt = new byte[16];
            byte[] secret = new byte[24];
            RANDOM.nextBytes(salt);
            RANDOM.nextBytes(secret);
            d = OpenBSDBCrypt.generate("2y", secret, salt, maxCost);
            dummyHash = d;
        }
        return d;
    }

    private static String kindOf(String hash) {
        if (hash.startsWith("$apr1$")) {
            return "MD5 (apr1)";
        }
        if (hash.startsWith("{SHA}")) {
            return "SHA-1 ({SHA})";
        }
        if (hash.startsWith("$1$")) {
            return "MD5-crypt ($1$)";
        }
        if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
            return "SHA-crypt (" + hash.substring(0, 3) + ")";
        }
        if (hash.startsWith("$2")) {
            return "malformed bcrypt";
        }
        if (hash.isEmpty()) {
            return "missing";
        }
        return "crypt or plain-text";
    }
}
