package dev.berth.engine.run;

import dev.berth.oci.BerthException;
import java.util.List;
import java.util.Locale;

/** Signals as docker accepts them: a number, or a name with or without SIG (KILL, SIGTERM, sigusr1). */
public final class SignalNames {
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private SignalNames() {}

    public static int parse(String text) {
        String t = text.strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            int n;
            try {
                n = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            if (n < 1 || n > 64) {
                throw invalid(text);
            }
            return n;
        }
        String name = t.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        int i = NAMES.indexOf(name);
        if (i > 0) {
            return i;
        }
        if (name.equals("IOT")) {
            return 6;
        }
        if (name.equals("RTMIN")) {
            return 34;
        }
        if (name.equals("RTMAX")) {
            return 64;
        }
        throw invalid(text);
    }

    private static BerthException invalid(String text) {
        return BerthException.invalid("Invalid signal: " + text);
    }
}
