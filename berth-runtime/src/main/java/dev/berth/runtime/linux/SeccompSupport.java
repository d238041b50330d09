package dev.berth.runtime.linux;

import dev.berth.oci.runtime.Seccomp;
import dev.berth.runtime.plan.ContainerPlanner.SeccompFilter;

/** Compiles linux.seccomp for this host; backed by dev.berth.runtime.seccomp. */
public interface SeccompSupport {
    SeccompFilter compile(Seccomp seccomp);
}
