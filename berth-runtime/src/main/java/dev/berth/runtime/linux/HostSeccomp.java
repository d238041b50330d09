package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Seccomp;
import dev.berth.runtime.plan.ContainerPlanner.SeccompFilter;
import dev.berth.runtime.seccomp.Arch;
import dev.berth.runtime.seccomp.SeccompCompiler;
import dev.berth.runtime.seccomp.SeccompProgram;

/**
 * Seccomp for this host's architecture through {@link SeccompCompiler}. Compiled filters are
 * kept by profile (a daemon starts container after container with the same few profiles, and
 * compiling docker's default one took 1.2–1.5 ms of each start); the cache is small and
 * cleared when full.
 */
enum HostSeccomp implements SeccompSupport {
    INSTANCE;

    private static final int CACHED = 32;
    private final java.util.Map<Seccomp, SeccompFilter> compiled = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public SeccompFilter compile(Seccomp seccomp) {
        SeccompFilter f = compiled.get(seccomp);
        if (f == null) {
            f = compileNow(seccomp);
            if (compiled.size() >= CACHED) {
                compiled.clear();
            }
            compiled.put(seccomp, f);
        }
        return f;
    }

    private static SeccompFilter compileNow(Seccomp seccomp) {
        SeccompProgram p = SeccompCompiler.compile(seccomp, Arch.host());
        if (p.usesNotify()) {
            // SCMP_ACT_NOTIFY needs a listener (linux.seccomp.listenerPath) berth does not serve yet
            throw BerthException.unsupported("config.json: linux.seccomp: SCMP_ACT_NOTIFY is not supported by berth-runtime");
        }
        return new SeccompFilter(p.filter(), p.flags());
    }
}
