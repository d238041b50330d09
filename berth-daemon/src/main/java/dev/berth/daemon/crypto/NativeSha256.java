package dev.berth.daemon.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.security.MessageDigestSpi;
import java.util.Optional;

/**
 * SHA-256 by the host's libcrypto (OpenSSL's SHA256_Init/Update/Final, which use the CPU's SHA
 * instructions). The JDK's own SHA-256 is fast only once C2 compiles it to its intrinsic; berthd
 * runs C1 only to stay small, where it hashes at about 60 MB/s and made docker load three times
 * slower than dockerd. Installed by {@link NativeDigests} only when libcrypto loads.
 */
public final class NativeSha256 extends MessageDigestSpi {
    /** sizeof(SHA256_CTX) is 112 on every OpenSSL; a little more costs nothing. */
    private static final long CTX_SIZE = 128;
    private static final int CHUNK = 64 * 1024;

    private static final MethodHandle INIT;
    private static final MethodHandle UPDATE;
    private static final MethodHandle FINAL;

    static {
        Optional<SymbolLookup> lib = NativeDigests.libcrypto();
        Linker linker = Linker.nativeLinker();
        if (lib.isPresent()) {
            INIT = linker.downcallHandle(lib.get().find("SHA256_Init").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS), Linker.Option.critical(false));
            UPDATE = linker.downcallHandle(lib.get().find("SHA256_Update").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                    Linker.Option.critical(true));
            FINAL = linker.downcallHandle(lib.get().find("SHA256_Final").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS), Linker.Option.critical(false));
        } else {
            INIT = null;
            UPDATE = null;
            FINAL = null;
        }
    }

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment ctx = arena.allocate(CTX_SIZE, 16);
    private final MemorySegment out = arena.allocate(32);

    public NativeSha256() {
        engineReset();
    }

    static boolean available() {
        return INIT != null;
    }

    @Override
    protected void engineUpdate(byte input) {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        try {
            // a critical downcall reads the heap array in place: no copy into native memory
            for (int done = 0; done < len; done += CHUNK) {
                int n = Math.min(CHUNK, len - done);
                int ok = (int) UPDATE.invokeExact(ctx, MemorySegment.ofArray(input).asSlice(offset + done, n), (long) n);
                check(ok, "SHA256_Update");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("SHA256_Update", t);
        }
    }

    @Override
    protected byte[] engineDigest() {
        try {
            check((int) FINAL.invokeExact(out, ctx), "SHA256_Final");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("SHA256_Final", t);
        }
        byte[] digest = out.toArray(ValueLayout.JAVA_BYTE);
        engineReset();
        return digest;
    }

    @Override
    protected int engineGetDigestLength() {
        return 32;
    }

    @Override
    protected void engineReset() {
        try {
            check((int) INIT.invokeExact(ctx), "SHA256_Init");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("SHA256_Init", t);
        }
    }

    private static void check(int ok, String call) {
        if (ok != 1) {
            throw new IllegalStateException(call + " failed");
        }
    }
}
