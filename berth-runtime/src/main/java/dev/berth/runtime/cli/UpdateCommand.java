package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code update}: change a container's cgroup limits, from an OCI linux.resources document
 * (--resources FILE, or - for stdin; the other flags are then ignored, as in runc) or from the
 * individual flags. As in runc, a zero or empty value means "leave as it is": zero is never a
 * usable limit for these fields, and engines send full documents with zeros in unused fields.
 */
final class UpdateCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("update", "update the resource limits of a container", "<container-id>",
                "Changes cgroup limits of a created, running or paused container. Sizes take the suffixes\n"
                        + "k, m, g, t, p (powers of 1024), e.g. --memory 512m. Fields that are zero or not given\n"
                        + "are left as they are. --resources reads an OCI linux.resources JSON document, e.g.\n"
                        + "{\"memory\": {\"limit\": 536870912}, \"cpu\": {\"quota\": 50000, \"period\": 100000}},\n"
                        + "and then the other flags are ignored.",
                Flag.string("resources", "r", "file with an OCI linux.resources JSON document, or '-' for stdin"),
                Flag.unsigned("blkio-weight", "block IO weight, 10 to 1000", "0"),
                Flag.string("cpu-period", null, "CFS period in microseconds"),
                Flag.string("cpu-quota", null, "CFS quota in microseconds per period"),
                new Flag("cpu-share", "cpu-shares", Flag.Kind.STRING, "CPU shares, a weight relative to other containers", null),
                Flag.string("cpu-rt-period", null, "realtime period in microseconds"),
                Flag.string("cpu-rt-runtime", null, "realtime runtime in microseconds per period"),
                Flag.string("cpuset-cpus", null, "CPUs the container may use, e.g. 0-2,4"),
                Flag.string("cpuset-mems", null, "memory nodes the container may use"),
                Flag.string("memory", null, "memory limit in bytes (suffixes allowed)"),
                Flag.string("memory-reservation", null, "memory soft limit in bytes (suffixes allowed)"),
                Flag.string("memory-swap", null, "memory plus swap limit in bytes (suffixes allowed); -1 for unlimited"),
                Flag.string("kernel-memory", null, "kernel memory limit in bytes (cgroup v1 only; suffixes allowed)"),
                Flag.string("kernel-memory-tcp", null, "kernel TCP buffer limit in bytes (cgroup v1 only; suffixes allowed)"),
                Flag.integer("pids-limit", "maximum number of processes in the container", "0"),
                Flag.string("l3-cache-schema", null, "Intel RDT L3 cache schema (not supported)"),
                Flag.string("mem-bw-schema", null, "Intel RDT memory bandwidth schema (not supported)"));
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("update", 1);
        String id = args.positional(0);
        String file = args.stringOrEmpty("resources");
        Resources resources;
        if (!file.isEmpty()) {
            resources = ResourcesJson.parse(read(context, file), file.equals("-") ? "stdin" : file);
        } else {
            if (!args.stringOrEmpty("l3-cache-schema").isEmpty() || !args.stringOrEmpty("mem-bw-schema").isEmpty()) {
                throw BerthException.unsupported("Intel RDT (--l3-cache-schema, --mem-bw-schema) is not supported");
            }
            resources = fromFlags(args);
        }
        context.runtime().update(id, zeroMeansUnchanged(resources));
        return 0;
    }

    private static String read(Context context, String file) {
        try {
            if (file.equals("-")) {
                return new String(context.in().readAllBytes(), StandardCharsets.UTF_8);
            }
            Path path = context.resolve(file);
            return Files.readString(path);
        } catch (IOException e) {
            throw BerthException.invalid("cannot read resources from " + file + ": " + e.getMessage());
        }
    }

    static Resources fromFlags(ParsedArgs args) {
        Resources.Memory memory = new Resources.Memory(size(args, "memory"), size(args, "memory-reservation"),
                size(args, "memory-swap"), size(args, "kernel-memory"), size(args, "kernel-memory-tcp"),
                null, null, null, null);
        Resources.Cpu cpu = new Resources.Cpu(number(args, "cpu-share", false), number(args, "cpu-quota", true), null,
                number(args, "cpu-period", false), number(args, "cpu-rt-runtime", true),
                number(args, "cpu-rt-period", false), args.string("cpuset-cpus"), args.string("cpuset-mems"), null);
        Integer weight = args.isSet("blkio-weight") ? (int) args.integer("blkio-weight", 0) : null;
        Resources.BlockIO blockIO = new Resources.BlockIO(weight, null, null, null, null, null, null);
        Resources.Pids pids = args.isSet("pids-limit") ? new Resources.Pids(args.integer("pids-limit", 0)) : null;
        return new Resources(null, memory, cpu, pids, blockIO, null, null, null);
    }

    /** A size flag: -1 stays -1 (unlimited), anything else goes through {@link Sizes}. */
    private static Long size(ParsedArgs args, String flag) {
        String value = args.stringOrEmpty(flag);
        if (value.isEmpty()) {
            return null;
        }
        if (value.equals("-1")) {
            return -1L;
        }
        try {
            return Sizes.ramInBytes(value);
        } catch (IllegalArgumentException e) {
            throw BerthException.invalid("invalid value for " + flag + ": " + e.getMessage());
        }
    }

    private static Long number(ParsedArgs args, String flag, boolean signed) {
        String value = args.stringOrEmpty(flag);
        if (value.isEmpty()) {
            return null;
        }
        if (!FlagParser.isInteger(value, signed)) {
            throw BerthException.invalid("invalid value for " + flag + ": \"" + value + "\" is not "
                    + (signed ? "a whole number" : "a non-negative whole number"));
        }
        return Long.parseLong(value);
    }

    /** Drops zero and empty values (runc's "unchanged"), and parts left with nothing in them. */
    static Resources zeroMeansUnchanged(Resources r) {
        Resources.Memory m = r.memory();
        if (m != null) {
            m = new Resources.Memory(nz(m.limit()), nz(m.reservation()), nz(m.swap()), nz(m.kernel()), nz(m.kernelTCP()),
                    m.swappiness(), m.disableOOMKiller(), m.useHierarchy(), m.checkBeforeUpdate());
            if (m.equals(new Resources.Memory(null, null, null, null, null, null, null, null, null))) {
                m = null;
            }
        }
        Resources.Cpu c = r.cpu();
        if (c != null) {
            c = new Resources.Cpu(nz(c.shares()), nz(c.quota()), c.burst(), nz(c.period()), nz(c.realtimeRuntime()),
                    nz(c.realtimePeriod()), ne(c.cpus()), ne(c.mems()), c.idle());
            if (c.equals(new Resources.Cpu(null, null, null, null, null, null, null, null, null))) {
                c = null;
            }
        }
        Resources.BlockIO b = r.blockIO();
        if (b != null) {
            Integer weight = b.weight() == null || b.weight() == 0 ? null : b.weight();
            b = new Resources.BlockIO(weight, b.leafWeight(), b.weightDevice(), b.throttleReadBpsDevice(),
                    b.throttleWriteBpsDevice(), b.throttleReadIOPSDevice(), b.throttleWriteIOPSDevice());
            if (b.equals(new Resources.BlockIO(null, null, null, null, null, null, null))) {
                b = null;
            }
        }
        Resources.Pids p = r.pids() == null || r.pids().limit() == 0 ? null : r.pids();
        return new Resources(r.devices(), m, c, p, b, r.hugepageLimits(), r.network(), r.unified());
    }

    private static Long nz(Long value) {
        return value == null || value == 0 ? null : value;
    }

    private static String ne(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
