package dev.berth.runtime.plan;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Namespace;
import java.util.List;
import java.util.Set;

/**
 * Which sysctls a container may set: only those that live in one of its own namespaces.
 * Anything else would change the host (e.g. vm.swappiness), so it is refused, as runc does.
 */
final class Sysctls {
    /** IPC sysctls (ipc_namespaces(7)). */
    private static final Set<String> IPC = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    private Sysctls() {}

    static void check(String key, List<Namespace> namespaces) {
        String k = key.replace('/', '.');
        if (IPC.contains(k) || k.startsWith("fs.mqueue.")) {
            require(k, namespaces, "ipc");
        } else if (k.startsWith("net.")) {
            require(k, namespaces, "network");
        } else if (k.equals("kernel.hostname") || k.equals("kernel.domainname")) {
            require(k, namespaces, "uts");
        } else {
            throw BerthException.invalid("config.json: linux.sysctl: sysctl \"" + key + "\" is not in a separate kernel namespace");
        }
    }

    private static void require(String key, List<Namespace> namespaces, String type) {
        if (Namespaces.find(namespaces, type).isEmpty()) {
            throw BerthException.invalid("config.json: linux.sysctl: sysctl \"" + key
                    + "\" is not allowed as it conflicts with the host's " + type + " namespace");
        }
    }
}
