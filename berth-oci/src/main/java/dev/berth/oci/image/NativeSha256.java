package dev.berth.oci.image;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.security.MessageDigest;

/**
 * SHA-256 computed by the host's libcrypto (OpenSSL 3) through the FFM API, with byte arrays
 * passed in place (critical downcalls). Why: berthd runs with the C1 compiler only (for its
 * memory footprint), and C1 has no SHA intrinsic, so the JDK's SHA-256 runs at ~65 MB/s there
 * against ~1.5 GB/s for OpenSSL's (SHA-NI); every blob berth stores is hashed, every layer it
 * unpacks too. Without libcrypto, {@link Digest#newHasher} falls back to the JDK's.
 */
final class NativeSha256 extends MessageDigest {
    /** sizeof(SHA256_CTX) is 112; a little more costs nothing. */
    private static final long CTX_SIZE = 128;
    /** Updates are cut into pieces of this size: a critical downcall holds off the GC while it runs. */
    private static final int PIECE = 1 << 20;

    private static final MethodHandle INIT;
    private static final MethodHandle UPDATE;
    private static final MethodHandle FINAL;

    static {
        MethodHandle init = null;
        MethodHandle update = null;
        MethodHandle fin = null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup crypto = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
            init = linker.downcallHandle(crypto.find("SHA256_Init").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            update = linker.downcallHandle(crypto.find("SHA256_Update").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                    Linker.Option.critical(true));
            fin = linker.downcallHandle(crypto.find("SHA256_Final").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                    Linker.Option.critical(true));
            // prove it on a known answer before trusting it
            MessageDigest probe = new NativeSha256(init, update, fin);
            byte[] got = probe.digest("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (!java.util.HexFormat.of().formatHex(got).equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")) {
                init = null;
            }
        } catch (Throwable t) {
            // no libcrypto.so.3, no native access, or another platform: the JDK's digest it is
            init = null;
        }
        INIT = init;
        UPDATE = init == null ? null : update;
        FINAL = init == null ? null : fin;
    }

    private final MethodHandle init;
    private final MethodHandle update;
    private final MethodHandle fin;
    private final MemorySegment ctx = Arena.ofAuto().allocate(CTX_SIZE, 16);

    private NativeSha256(MethodHandle init, MethodHandle update, MethodHandle fin) {
        super("SHA-256");
        this.init = init;
        this.update = update;
        this.fin = fin;
        engineReset();
    }

    /** A native SHA-256, or null when libcrypto cannot be used here. */
    static MessageDigest createOrNull() {
        return INIT == null ? null : new NativeSha256(INIT, UPDATE, FINAL);
    }

    @Override
    protected void engineUpdate(byte input) {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        MemorySegment all = MemorySegment.ofArray(input);
        for (int at = offset; at < offset + len; at += PIECE) {
            int n = Math.min(PIECE, offset + len - at);
            try {
                int ok = (int) update.invokeExact(ctx, all.asSlice(at, n), (long) n);
                if (ok != 1) {
                    throw new IllegalStateException("SHA256_Update failed");
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    @Override
    protected byte[] engineDigest() {
        byte[] out = new byte[32];
        try {
            int ok = (int) fin.invokeExact(MemorySegment.ofArray(out), ctx);
            if (ok != 1) {
                throw new IllegalStateException("SHA256_Final failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        engineReset();
        return out;
    }

    @Override
    protected void engineReset() {
        try {
            int ok = (int) init.invokeExact(ctx);
            if (ok != 1) {
                throw new IllegalStateException("SHA256_Init failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    protected int engineGetDigestLength() {
        return 32;
    }
}
