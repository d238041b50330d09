package dev.berth.oci.runtime;

import dev.berth.oci.BerthException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a parsed {@link Spec} for what the runtime must refuse before touching the kernel
 * (config.md, config-linux.md: the MUSTs about paths, names and duplicates, plus runc's rule
 * that a hostname needs a uts namespace). It stops at the first problem and names its JSON path:
 * {@code config.json: process.cwd: must be an absolute path, got "tmp"}. All failures are
 * INVALID_ARGUMENT.
 *
 * <p>process is OPTIONAL in config.json but required to create a container: {@code create}
 * calls {@link #validate} and then {@link #requireProcess}. sysctl keys are left to the runtime,
 * which knows which ones a namespace makes safe.
 */
public final class SpecValidator {
    static final String SOURCE = "config.json";

    private SpecValidator() {}

    public static void validate(Spec spec) {
        if (isEmpty(spec.ociVersion())) {
            throw invalid("ociVersion", "required");
        }
        if (spec.root() == null || isEmpty(spec.root().path())) {
            throw invalid("root.path", "required");
        }
        if (spec.process() != null) {
            process(spec.process());
        }
        List<Mount> mounts = spec.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            absolute("mounts[" + i + "].destination", mounts.get(i).destination());
        }
        if (spec.hooks() != null) {
            hooks(spec.hooks());
        }
        if (spec.linux() != null) {
            LinuxValidator.linux(spec.linux());
        }
        List<Namespace> namespaces = spec.linux() == null ? List.of() : spec.linux().namespaces();
        boolean uts = hasNamespace(namespaces, "uts");
        // runc refuses this too: without its own uts namespace the container would rename the host
        if (!uts && !isEmpty(spec.hostname())) {
            throw invalid("hostname", "requires a uts namespace in linux.namespaces");
        }
        if (!uts && !isEmpty(spec.domainname())) {
            throw invalid("domainname", "requires a uts namespace in linux.namespaces");
        }
    }

    /** The config must say what to run; required by create (config.md "Process"). */
    public static void requireProcess(Spec spec) {
        if (spec.process() == null) {
            throw invalid("process", "required");
        }
    }

    private static void process(Process p) {
        if (p.args().isEmpty()) {
            throw invalid("process.args", "must hold at least one entry");
        }
        absolute("process.cwd", p.cwd());
        rlimits(p.rlimits());
        Capabilities caps = p.capabilities();
        if (caps != null) {
            capabilities("bounding", caps.bounding());
            capabilities("effective", caps.effective());
            capabilities("inheritable", caps.inheritable());
            capabilities("permitted", caps.permitted());
            capabilities("ambient", caps.ambient());
        }
    }

    private static void rlimits(List<Rlimit> rlimits) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rlimits.size(); i++) {
            Rlimit r = rlimits.get(i);
            String at = "process.rlimits[" + i + "]";
            if (isEmpty(r.type())) {
                throw invalid(at + ".type", "required");
            }
            if (!RlimitNames.isKnown(r.type())) {
                throw invalid(at + ".type", "unknown rlimit " + quote(r.type()));
            }
            if (!seen.add(r.type())) {
                throw invalid(at + ".type", "duplicate rlimit " + quote(r.type()));
            }
            if (Long.compareUnsigned(r.soft(), r.hard()) > 0) {
                throw invalid(at, "soft limit " + Long.toUnsignedString(r.soft())
                        + " exceeds hard limit " + Long.toUnsignedString(r.hard()));
            }
        }
    }

    private static void capabilities(String set, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            if (!CapabilityNames.isKnown(names.get(i))) {
                throw invalid("process.capabilities." + set + "[" + i + "]", "unknown capability " + quote(names.get(i)));
            }
        }
    }

    private static void hooks(Hooks hooks) {
        hookList("prestart", hooks.prestart());
        hookList("createRuntime", hooks.createRuntime());
        hookList("createContainer", hooks.createContainer());
        hookList("startContainer", hooks.startContainer());
        hookList("poststart", hooks.poststart());
        hookList("poststop", hooks.poststop());
    }

    private static void hookList(String name, List<Hook> hooks) {
        for (int i = 0; i < hooks.size(); i++) {
            String at = "hooks." + name + "[" + i + "]";
            absolute(at + ".path", hooks.get(i).path());
            Integer timeout = hooks.get(i).timeout();
            if (timeout != null && timeout <= 0) {
                throw invalid(at + ".timeout", "must be greater than zero, got " + timeout);
            }
        }
    }

    static void absolute(String at, String path) {
        if (isEmpty(path)) {
            throw invalid(at, "required");
        }
        if (!path.startsWith("/")) {
            throw invalid(at, "must be an absolute path, got " + quote(path));
        }
    }

    // a loop, not a stream: this runs at every create and a lambda costs a generated class
    static boolean hasNamespace(List<Namespace> namespaces, String type) {
        for (Namespace ns : namespaces) {
            if (type.equals(ns.type())) {
                return true;
            }
        }
        return false;
    }

    static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    static String quote(String s) {
        return "\"" + s + "\"";
    }

    static BerthException invalid(String at, String problem) {
        return BerthException.invalid(SOURCE + ": " + at + ": " + problem);
    }
}
