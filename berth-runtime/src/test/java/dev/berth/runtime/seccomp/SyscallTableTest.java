package dev.berth.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.Test;

class SyscallTableTest {

    @Test
    void wellKnownNumbers() {
        assertThat(Arch.X86_64.syscalls().number("read")).hasValue(0);
        assertThat(Arch.X86_64.syscalls().number("execve")).hasValue(59);
        assertThat(Arch.X86.syscalls().number("execve")).hasValue(11);
        assertThat(Arch.X32.syscalls().number("execve")).hasValue(Arch.X32_SYSCALL_BIT | 520);
        assertThat(Arch.X32.syscalls().number("read")).hasValue(Arch.X32_SYSCALL_BIT);
        assertThat(Arch.AARCH64.syscalls().number("execve")).hasValue(221);
        assertThat(Arch.AARCH64.syscalls().number("newfstatat")).hasValue(79);
        assertThat(Arch.AARCH64.syscalls().number("open")).isEmpty();
        assertThat(Arch.X86.syscalls().number("socketcall")).hasValue(102);
        assertThat(Arch.X86_64.syscalls().number("socketcall")).isEmpty();
    }

    @Test
    void syscallsNewerThanTheInstalledHeadersAreThere() {
        for (Arch arch : Arch.values()) {
            int base = arch == Arch.X32 ? Arch.X32_SYSCALL_BIT : 0;
            assertThat(arch.syscalls().number("fchmodat2")).as(arch.name()).hasValue(base + 452);
            assertThat(arch.syscalls().number("mseal")).as(arch.name()).hasValue(base + 462);
            assertThat(arch.syscalls().number("file_setattr")).as(arch.name()).hasValue(base + 469);
        }
        assertThat(Arch.X86.syscalls().number("map_shadow_stack")).isEmpty();
    }

    @Test
    void hostArch() {
        assertThat(Arch.fromOsArch("amd64")).isEqualTo(Arch.X86_64);
        assertThat(Arch.fromOsArch("aarch64")).isEqualTo(Arch.AARCH64);
        assertThatThrownBy(() -> Arch.fromOsArch("riscv64"))
                .isInstanceOf(BerthException.class)
                .hasMessage("host architecture \"riscv64\" has no seccomp support in berth");
        assertThat(Arch.host()).isIn(Arch.X86_64, Arch.AARCH64);
    }
}
