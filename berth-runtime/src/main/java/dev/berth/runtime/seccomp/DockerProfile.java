package dev.berth.runtime.seccomp;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Seccomp;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a seccomp profile in Docker's format (moby's {@code profiles/seccomp}: the daemon's
 * {@code --seccomp-profile} and {@code --security-opt seccomp=file.json}) into the OCI
 * {@code linux.seccomp} section for one container, the way dockerd does:
 *
 * <ul>
 *   <li>{@code archMap}: the entry whose {@code architecture} is the host's gives
 *       {@code architectures} = that arch + its {@code subArchitectures}. A profile may give
 *       {@code architectures} directly instead, not both.
 *   <li>Each rule of {@code syscalls} is kept only if its conditions hold: {@code excludes.arches}
 *       does not hold the host's Go arch name ("amd64", "arm64"), no cap of {@code excludes.caps}
 *       is granted, the kernel is older than {@code excludes.minKernel}; {@code includes.arches}
 *       holds the host arch, every cap of {@code includes.caps} is granted, the kernel is at
 *       least {@code includes.minKernel}. The conditions and comments are then dropped.
 *   <li>{@code name} (the old single-name form) becomes {@code names}.
 * </ul>
 *
 * The result still holds every name the profile lists; {@link SeccompCompiler} skips the names
 * an arch lacks.
 */
public final class DockerProfile {
    private static final String WHAT = "seccomp profile";
    private static final Pattern KERNEL = Pattern.compile("^(\\d+)\\.(\\d+)");

    private DockerProfile() {}

    /**
     * @param grantedCaps the container's bounding capabilities, with or without the CAP_ prefix
     * @param kernelVersion the host kernel release, e.g. {@code 6.1.0-18-amd64} (uname -r)
     */
    public static Seccomp toOci(String dockerProfileJson, Set<String> grantedCaps, Arch arch, String kernelVersion) {
        if (!(JsonTree.parse(dockerProfileJson, WHAT) instanceof Map<?, ?> root)) {
            throw BerthException.invalid(WHAT + " must be a JSON object");
        }
        Node profile = new Node(root, "");
        Set<String> caps = normalizeCaps(grantedCaps);
        int[] kernel = kernelVersion(kernelVersion, "kernel version");

        List<String> architectures = profile.strings("architectures");
        List<Node> archMap = profile.objects("archMap");
        if (!architectures.isEmpty() && !archMap.isEmpty()) {
            throw BerthException.invalid(WHAT + " sets both architectures and archMap; use one");
        }
        if (architectures.isEmpty()) {
            architectures = new ArrayList<>();
            for (Node entry : archMap) {
                if (arch.scmpName().equals(entry.string("architecture"))) {
                    architectures.add(arch.scmpName());
                    architectures.addAll(entry.strings("subArchitectures"));
                }
            }
        }

        List<Seccomp.Syscall> syscalls = new ArrayList<>();
        for (Node call : profile.objects("syscalls")) {
            List<String> names = names(call);
            if (applies(call, caps, arch, kernel)) {
                syscalls.add(new Seccomp.Syscall(names, call.string("action"), call.errno("errnoRet"), args(call)));
            }
        }
        return new Seccomp(
                profile.string("defaultAction"),
                profile.errno("defaultErrnoRet"),
                architectures,
                profile.strings("flags"),
                profile.string("listenerPath"),
                profile.string("listenerMetadata"),
                syscalls);
    }

    /** Docker's default profile (moby, as shipped with berth) for one container. */
    public static Seccomp defaultProfile(Set<String> grantedCaps, Arch arch, String kernelVersion) {
        return toOci(defaultProfileJson(), grantedCaps, arch, kernelVersion);
    }

    /** The text of Docker's default profile. */
    public static String defaultProfileJson() {
        try (InputStream in = DockerProfile.class.getResourceAsStream("docker-default.json")) {
            if (in == null) {
                throw BerthException.internal("resource docker-default.json is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw BerthException.internal("cannot read resource docker-default.json", e);
        }
    }

    private static List<String> names(Node call) {
        List<String> names = call.strings("names");
        String name = call.string("name");
        if (name != null && !name.isEmpty()) {
            if (!names.isEmpty()) {
                throw BerthException.invalid(WHAT + " field " + call.path + " sets both name and names; use one");
            }
            return List.of(name);
        }
        return names;
    }

    private static boolean applies(Node call, Set<String> caps, Arch arch, int[] kernel) {
        Node excludes = call.object("excludes");
        Node includes = call.object("includes");
        if (excludes.strings("arches").contains(arch.goArch())) {
            return false;
        }
        for (String cap : excludes.strings("caps")) {
            if (caps.contains(cap)) {
                return false;
            }
        }
        String excludedFrom = excludes.string("minKernel");
        if (excludedFrom != null && atLeast(kernel, kernelVersion(excludedFrom, excludes.path + ".minKernel"))) {
            return false;
        }
        List<String> arches = includes.strings("arches");
        if (!arches.isEmpty() && !arches.contains(arch.goArch())) {
            return false;
        }
        for (String cap : includes.strings("caps")) {
            if (!caps.contains(cap)) {
                return false;
            }
        }
        String includedFrom = includes.string("minKernel");
        return includedFrom == null || atLeast(kernel, kernelVersion(includedFrom, includes.path + ".minKernel"));
    }

    private static List<Seccomp.Arg> args(Node call) {
        List<Seccomp.Arg> args = new ArrayList<>();
        for (Node arg : call.objects("args")) {
            Long index = arg.integer("index");
            if (index == null || index < 0 || index > 5) {
                throw BerthException.invalid(WHAT + " field " + arg.path + ".index must be within 0..5");
            }
            args.add(new Seccomp.Arg(index.intValue(), arg.u64("value"), arg.u64("valueTwo"), arg.string("op")));
        }
        return args;
    }

    private static Set<String> normalizeCaps(Set<String> granted) {
        Set<String> caps = new HashSet<>();
        for (String cap : granted) {
            String upper = cap.toUpperCase(Locale.ROOT);
            caps.add(upper.startsWith("CAP_") ? upper : "CAP_" + upper);
        }
        return caps;
    }

    /** major.minor of a kernel release; dockerd compares only those two. */
    private static int[] kernelVersion(String version, String field) {
        Matcher m = KERNEL.matcher(version == null ? "" : version);
        if (!m.find()) {
            throw BerthException.invalid(WHAT + " " + field + " \"" + version + "\" is not a kernel version like 5.10");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private static boolean atLeast(int[] kernel, int[] minimum) {
        return kernel[0] != minimum[0] ? kernel[0] > minimum[0] : kernel[1] >= minimum[1];
    }

    /** A JSON object with its path, for typed reads with errors naming the field. */
    private record Node(Map<?, ?> map, String path) {
        private Object get(String key) {
            return map.get(key);
        }

        private String field(String key) {
            return WHAT + " field " + (path.isEmpty() ? key : path + "." + key);
        }

        String string(String key) {
            Object v = get(key);
            if (v == null || v instanceof String) {
                return (String) v;
            }
            throw BerthException.invalid(field(key) + " must be a string");
        }

        Long integer(String key) {
            Object v = get(key);
            if (v == null || v instanceof Long) {
                return (Long) v;
            }
            throw BerthException.invalid(field(key) + " must be an integer");
        }

        Integer errno(String key) {
            Long v = integer(key);
            if (v == null) {
                return null;
            }
            if (v < 0 || v > 0xffff) {
                throw BerthException.invalid(field(key) + " must be within 0..65535, got " + v);
            }
            return v.intValue();
        }

        /** An unsigned 64-bit value, absent = 0, held in a long's bits. */
        long u64(String key) {
            Object v = get(key);
            if (v == null) {
                return 0;
            }
            if (v instanceof Long l && l >= 0) {
                return l;
            }
            if (v instanceof BigInteger b && b.signum() >= 0 && b.bitLength() <= 64) {
                return b.longValue();
            }
            throw BerthException.invalid(field(key) + " must be an unsigned 64-bit integer");
        }

        List<String> strings(String key) {
            Object v = get(key);
            if (v == null) {
                return List.of();
            }
            if (v instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                return list.stream().map(String.class::cast).toList();
            }
            throw BerthException.invalid(field(key) + " must be an array of strings");
        }

        List<Node> objects(String key) {
            Object v = get(key);
            if (v == null) {
                return List.of();
            }
            if (v instanceof List<?> list) {
                List<Node> nodes = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof Map<?, ?> m)) {
                        throw BerthException.invalid(field(key) + "[" + i + "] must be an object");
                    }
                    nodes.add(new Node(m, (path.isEmpty() ? key : path + "." + key) + "[" + i + "]"));
                }
                return nodes;
            }
            throw BerthException.invalid(field(key) + " must be an array of objects");
        }

        Node object(String key) {
            Object v = get(key);
            String childPath = path.isEmpty() ? key : path + "." + key;
            if (v == null) {
                return new Node(Map.of(), childPath);
            }
            if (v instanceof Map<?, ?> m) {
                return new Node(m, childPath);
            }
            throw BerthException.invalid(field(key) + " must be an object");
        }
    }
}
