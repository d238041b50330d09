package dev.berth.oci.runtime;

import static dev.berth.oci.runtime.SpecValidator.absolute;
import static dev.berth.oci.runtime.SpecValidator.invalid;
import static dev.berth.oci.runtime.SpecValidator.isEmpty;
import static dev.berth.oci.runtime.SpecValidator.quote;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The linux part of {@link SpecValidator} (config-linux.md). */
final class LinuxValidator {
    private static final List<String> DEVICE_TYPES = List.of("c", "b", "u", "p");
    /** seccomp filters see six syscall arguments (struct seccomp_data). */
    private static final int SYSCALL_ARGS = 6;

    private LinuxValidator() {}

    static void linux(Linux linux) {
        namespaces(linux.namespaces());
        boolean userns = SpecValidator.hasNamespace(linux.namespaces(), "user");
        if (!userns && !linux.uidMappings().isEmpty()) {
            throw invalid("linux.uidMappings", "requires a user namespace in linux.namespaces");
        }
        if (!userns && !linux.gidMappings().isEmpty()) {
            throw invalid("linux.gidMappings", "requires a user namespace in linux.namespaces");
        }
        devices(linux.devices());
        if (linux.seccomp() != null) {
            seccomp(linux.seccomp());
        }
    }

    private static void namespaces(List<Namespace> namespaces) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < namespaces.size(); i++) {
            Namespace ns = namespaces.get(i);
            String at = "linux.namespaces[" + i + "]";
            if (isEmpty(ns.type())) {
                throw invalid(at + ".type", "required");
            }
            if (!NamespaceTypes.isKnown(ns.type())) {
                throw invalid(at + ".type", "unknown namespace type " + quote(ns.type()));
            }
            if (!seen.add(ns.type())) {
                throw invalid(at + ".type", "duplicate namespace type " + quote(ns.type()));
            }
            if (ns.path() != null) {
                absolute(at + ".path", ns.path());
            }
        }
    }

    private static void devices(List<Device> devices) {
        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            String at = "linux.devices[" + i + "]";
            if (d.type() == null || !DEVICE_TYPES.contains(d.type())) {
                throw invalid(at + ".type", "must be one of c, b, u, p, got " + (d.type() == null ? "nothing" : quote(d.type())));
            }
            absolute(at + ".path", d.path());
        }
    }

    private static void seccomp(Seccomp s) {
        String defaultAction = s.defaultAction();
        action("linux.seccomp.defaultAction", defaultAction);
        // every syscall the runtime itself makes between loading the filter and execve would
        // wait on a listener that cannot have been told about the filter yet
        if ("SCMP_ACT_NOTIFY".equals(defaultAction)) {
            throw invalid("linux.seccomp.defaultAction", "SCMP_ACT_NOTIFY cannot be the default action");
        }
        errnoRet("linux.seccomp.defaultErrnoRet", s.defaultErrnoRet(), defaultAction);
        known("linux.seccomp.architectures", s.architectures(), SeccompNames.KNOWN_ARCHS, "architecture");
        known("linux.seccomp.flags", s.flags(), SeccompNames.FLAGS, "flag");
        if (isEmpty(s.listenerPath()) && !isEmpty(s.listenerMetadata())) {
            throw invalid("linux.seccomp.listenerMetadata", "must not be set without linux.seccomp.listenerPath");
        }
        List<Seccomp.Syscall> syscalls = s.syscalls();
        for (int i = 0; i < syscalls.size(); i++) {
            Seccomp.Syscall rule = syscalls.get(i);
            String at = "linux.seccomp.syscalls[" + i + "]";
            if (rule.names().isEmpty()) {
                throw invalid(at + ".names", "must hold at least one entry");
            }
            action(at + ".action", rule.action());
            if ("SCMP_ACT_NOTIFY".equals(rule.action()) && isEmpty(s.listenerPath())) {
                throw invalid("linux.seccomp.listenerPath", "required when " + at + " uses SCMP_ACT_NOTIFY");
            }
            errnoRet(at + ".errnoRet", rule.errnoRet(), rule.action());
            for (int j = 0; j < rule.args().size(); j++) {
                arg(at + ".args[" + j + "]", rule.args().get(j));
            }
        }
    }

    private static void arg(String at, Seccomp.Arg arg) {
        if (Integer.compareUnsigned(arg.index(), SYSCALL_ARGS) >= 0) {
            throw invalid(at + ".index", "must be 0 to 5, got " + Integer.toUnsignedString(arg.index()));
        }
        if (isEmpty(arg.op())) {
            throw invalid(at + ".op", "required");
        }
        if (!SeccompNames.OPERATORS.contains(arg.op())) {
            throw invalid(at + ".op", "unknown operator " + quote(arg.op()));
        }
    }

    private static void action(String at, String action) {
        if (isEmpty(action)) {
            throw invalid(at, "required");
        }
        if (!SeccompNames.ACTIONS.contains(action)) {
            throw invalid(at, "unknown action " + quote(action));
        }
    }

    /** config-linux.md: an action that returns no errno must make the runtime fail when given one. */
    private static void errnoRet(String at, Integer errnoRet, String action) {
        if (errnoRet != null && !SeccompNames.ACTIONS_WITH_ERRNO.contains(action)) {
            throw invalid(at, "only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not " + action);
        }
    }

    private static void known(String at, List<String> values, List<String> known, String what) {
        for (int i = 0; i < values.size(); i++) {
            if (!known.contains(values.get(i))) {
                throw invalid(at + "[" + i + "]", "unknown " + what + " " + quote(values.get(i)));
            }
        }
    }
}
