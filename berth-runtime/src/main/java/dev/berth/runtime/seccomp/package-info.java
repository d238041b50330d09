/**
 * Seccomp for berth: policy in Java, bytes for the kernel.
 *
 * <ul>
 *   <li>{@link dev.berth.runtime.seccomp.DockerProfile} turns a profile in Docker's format
 *       (conditions on caps, arches, kernel version) into the OCI {@code linux.seccomp} section
 *       for one container.
 *   <li>{@link dev.berth.runtime.seccomp.SeccompCompiler} compiles that section into a classic
 *       BPF program ({@link dev.berth.runtime.seccomp.SeccompProgram}); its javadoc states the
 *       semantics chosen where the OCI spec is silent (rule order, x32, bad-arch action).
 *   <li>{@code berth-init} loads the bytes as the last step before execve with
 *       {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, &sock_fprog)}; it interprets nothing.
 * </ul>
 *
 * Syscall numbers come from {@link dev.berth.runtime.seccomp.SyscallTable}, generated from the
 * kernel uapi headers by {@code src/main/scripts/gen-syscall-tables.sh}.
 *
 * @see <a href="https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#seccomp">config-linux.md, Seccomp</a>
 * @see <a href="https://docs.kernel.org/userspace-api/seccomp_filter.html">Seccomp BPF (kernel docs)</a>
 */
package dev.berth.runtime.seccomp;
