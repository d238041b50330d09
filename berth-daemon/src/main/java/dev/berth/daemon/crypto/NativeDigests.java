package dev.berth.daemon.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JCA provider placed first, so that {@code MessageDigest.getInstance("SHA-256")} anywhere in
 * berthd (the content store, layer diff ids) hashes with libcrypto; see {@link NativeSha256}.
 * Nothing changes when libcrypto is missing or answers wrongly: the JDK's provider stays.
 */
public final class NativeDigests extends Provider {
    private static final long serialVersionUID = 1L;
    private static final String[] LIBS = {"libcrypto.so.3", "libcrypto.so"};

    private NativeDigests() {
        super("BerthNative", "1.0", "SHA-256 by the host's libcrypto");
        putService(new Service(this, "MessageDigest", "SHA-256", NativeSha256.class.getName(),
                List.of("SHA256", "2.16.840.1.101.3.4.2.1"), Map.of()));
    }

    static Optional<SymbolLookup> libcrypto() {
        for (String lib : LIBS) {
            try {
                return Optional.of(SymbolLookup.libraryLookup(lib, Arena.global()));
            } catch (IllegalArgumentException e) {
                // try the next name
            }
        }
        return Optional.empty();
    }

    /** Installs the provider when libcrypto works; returns whether it did. */
    public static boolean install() {
        try {
            if (!NativeSha256.available()) {
                return false;
            }
            NativeSha256 probe = new NativeSha256();
            probe.engineUpdate("abc".getBytes(), 0, 3);
            String hex = HexFormat.of().formatHex(probe.engineDigest());
            if (!hex.equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")) {
                return false;
            }
            Security.insertProviderAt(new NativeDigests(), 1);
            return MessageDigest.getInstance("SHA-256").getProvider().getName().equals("BerthNative");
        } catch (Throwable t) {
            return false;
        }
    }
}
