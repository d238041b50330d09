package dev.berth.runtime.seccomp;

import dev.berth.oci.BerthException;

/**
 * Comparison operators of {@code linux.seccomp.syscalls[].args[].op} (libseccomp's
 * {@code enum scmp_compare}). All compare unsigned 64-bit values; MASKED_EQ tests
 * {@code (arg & value) == valueTwo}.
 */
enum ArgOp {
    NE, LT, LE, EQ, GE, GT, MASKED_EQ;

    static ArgOp parse(String op, String field) {
        if (op == null) {
            throw BerthException.invalid(field + " is required");
        }
        return switch (op) {
            case "SCMP_CMP_NE" -> NE;
            case "SCMP_CMP_LT" -> LT;
            case "SCMP_CMP_LE" -> LE;
            case "SCMP_CMP_EQ" -> EQ;
            case "SCMP_CMP_GE" -> GE;
            case "SCMP_CMP_GT" -> GT;
            case "SCMP_CMP_MASKED_EQ" -> MASKED_EQ;
            default -> throw BerthException.invalid(field + " \"" + op + "\" is unknown");
        };
    }
}
