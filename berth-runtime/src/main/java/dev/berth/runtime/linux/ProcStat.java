package dev.berth.runtime.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The two facts the runtime reads from /proc/[pid]/stat: the state letter and the start time. */
record ProcStat(char state, long startTime) {

    static Optional<ProcStat> read(int pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String s = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            // the command name may hold spaces and parentheses: fields start after the last ')'
            int close = s.lastIndexOf(')');
            String[] f = s.substring(close + 2).split(" ");
            // f[0] is field 3 (state); start time is field 22
            return Optional.of(new ProcStat(f[0].charAt(0), Long.parseLong(f[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True when pid is alive and is the process that started at startTime (not a zombie). */
    static boolean isLive(int pid, long startTime) {
        return read(pid).map(s -> s.state() != 'Z' && s.state() != 'X'
                && (startTime == 0 || s.startTime() == startTime)).orElse(false);
    }
}
