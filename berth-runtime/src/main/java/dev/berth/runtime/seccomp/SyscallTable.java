package dev.berth.runtime.seccomp;

import dev.berth.oci.BerthException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Syscall name → number for one {@link Arch}, read from a resource generated from the kernel
 * uapi headers by {@code src/main/scripts/gen-syscall-tables.sh} (one "name number" per line).
 * x32 numbers carry {@link Arch#X32_SYSCALL_BIT} already.
 */
public final class SyscallTable {
    private static final Map<Arch, SyscallTable> LOADED = new EnumMap<>(Arch.class);

    private final Arch arch;
    private final Map<String, Integer> numbers;

    private SyscallTable(Arch arch, Map<String, Integer> numbers) {
        this.arch = arch;
        this.numbers = Collections.unmodifiableMap(numbers);
    }

    static SyscallTable of(Arch arch) {
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(arch, SyscallTable::load);
        }
    }

    public Arch arch() {
        return arch;
    }

    /** The syscall's number on this arch, or empty when this arch has no such syscall. */
    public OptionalInt number(String name) {
        Integer nr = numbers.get(name);
        return nr == null ? OptionalInt.empty() : OptionalInt.of(nr);
    }

    /** Every name in the table with its number. */
    public Map<String, Integer> all() {
        return numbers;
    }

    private static SyscallTable load(Arch arch) {
        String resource = switch (arch) {
            case X86_64 -> "x86_64.txt";
            case X86 -> "x86.txt";
            case X32 -> "x32.txt";
            case AARCH64 -> "aarch64.txt";
        };
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw BerthException.internal("syscall table resource " + resource + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            Map<String, Integer> numbers = new HashMap<>(512);
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.indexOf(' ');
                numbers.put(line.substring(0, space), Integer.parseInt(line.substring(space + 1).trim()));
            }
            return new SyscallTable(arch, numbers);
        } catch (IOException e) {
            throw BerthException.internal("cannot read syscall table resource " + resource, e);
        }
    }
}
