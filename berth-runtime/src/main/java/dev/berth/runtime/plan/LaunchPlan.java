package dev.berth.runtime.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A launch plan: the ordered ops berth-init executes between clone() and execve(). Java
 * decides everything (which namespaces, which mounts with which flags, which capabilities);
 * the helper only carries it out. Fields are strings (NUL-terminated) or u64 numbers.
 */
public final class LaunchPlan {
    private final List<Step> steps = new ArrayList<>();

    /** One op with its fields, kept for tests and debugging (toString lists them). */
    public record Step(Op op, List<Object> fields) {
        @Override
        public String toString() {
            return op + fields.toString();
        }
    }

    public LaunchPlan add(Op op, Object... fields) {
        for (Object f : fields) {
            if (!(f instanceof String || f instanceof Long || f instanceof Integer || f instanceof byte[])) {
                throw new IllegalArgumentException("plan field of " + op + " must be a string, number or bytes: " + f);
            }
        }
        steps.add(new Step(op, List.of(fields)));
        return this;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** The ops of one code, in order (for tests). */
    public List<Step> stepsOf(Op op) {
        return steps.stream().filter(s -> s.op() == op).toList();
    }

    /** The wire form: per op {u32 code, u32 n, n × {u32 len, bytes}}, little-endian. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        for (Step s : steps) {
            writeInt(out, s.op().code);
            writeInt(out, s.fields().size());
            for (Object f : s.fields()) {
                // instanceof, not a pattern switch: a type switch spins a class at first use
                byte[] bytes;
                if (f instanceof String str) {
                    bytes = nulTerminated(str);
                } else if (f instanceof Long l) {
                    bytes = le64(l);
                } else if (f instanceof Integer i) {
                    bytes = le64(i.longValue());
                } else {
                    bytes = (byte[]) f;
                }
                writeInt(out, bytes.length);
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }

    private static byte[] nulTerminated(String s) {
        if (s.indexOf('\0') >= 0) {
            throw dev.berth.oci.BerthException.invalid("string contains a NUL byte: " + s.replace('\0', '?'));
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    @Override
    public String toString() {
        return steps.toString();
    }
}
