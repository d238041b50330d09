package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Seccomp;
import dev.berth.runtime.plan.ContainerPlanner.SeccompFilter;
import dev.berth.runtime.seccomp.Arch;
import dev.berth.runtime.seccomp.SeccompCompiler;
import dev.berth.runtime.seccomp.SeccompProgram;

/** Seccomp for this host's architecture through {@link SeccompCompiler}. */
enum HostSeccomp implements SeccompSupport {
    INSTANCE;

    @Override
    public SeccompFilter compile(Seccomp seccomp) {
        SeccompProgram p = SeccompCompiler.compile(seccomp, Arch.host());
        if (p.usesNotify()) {
            // SCMP_ACT_NOTIFY needs a listener (linux.seccomp.listenerPath) berth does not serve yet
            throw BerthException.unsupported("config.json: linux.seccomp: SCMP_ACT_NOTIFY is not supported by berth-runtime");
        }
        return new SeccompFilter(p.filter(), p.flags());
    }
}
