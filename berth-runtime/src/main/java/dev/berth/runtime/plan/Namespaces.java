package dev.berth.runtime.plan;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Namespace;
import java.util.List;
import java.util.Optional;

/** Namespace types of linux.namespaces and their clone(2) flags. */
public final class Namespaces {
    public static final long CLONE_NEWTIME = 0x80;
    public static final long CLONE_NEWNS = 0x20000;
    public static final long CLONE_NEWCGROUP = 0x02000000;
    public static final long CLONE_NEWUTS = 0x04000000;
    public static final long CLONE_NEWIPC = 0x08000000;
    public static final long CLONE_NEWUSER = 0x10000000;
    public static final long CLONE_NEWPID = 0x20000000;
    public static final long CLONE_NEWNET = 0x40000000;

    private Namespaces() {}

    public static long flag(String type) {
        return switch (type) {
            case "pid" -> CLONE_NEWPID;
            case "network" -> CLONE_NEWNET;
            case "mount" -> CLONE_NEWNS;
            case "ipc" -> CLONE_NEWIPC;
            case "uts" -> CLONE_NEWUTS;
            case "user" -> CLONE_NEWUSER;
            case "cgroup" -> CLONE_NEWCGROUP;
            case "time" -> CLONE_NEWTIME;
            default -> throw BerthException.invalid("config.json: linux.namespaces: unknown namespace type " + type);
        };
    }

    /** The file name under /proc/pid/ns for a type. */
    public static String procName(String type) {
        return switch (type) {
            case "network" -> "net";
            case "mount" -> "mnt";
            default -> type;
        };
    }

    public static Optional<Namespace> find(List<Namespace> namespaces, String type) {
        return namespaces.stream().filter(n -> n.type().equals(type)).findFirst();
    }

    /** True when the spec asks for a new namespace of this type (listed, without a path). */
    public static boolean createsNew(List<Namespace> namespaces, String type) {
        return find(namespaces, type).map(n -> n.path() == null || n.path().isEmpty()).orElse(false);
    }
}
