package dev.berth.runtime.cli;

/**
 * Signal names and numbers on Linux (x86-64 and arm64 share them), for {@code kill}. Like runc,
 * a signal is a number, or a name with or without the SIG prefix in any case: {@code 9},
 * {@code KILL}, {@code sigkill}. Real-time signals are {@code RTMIN}, {@code RTMIN+n},
 * {@code RTMAX-n}.
 */
final class Signals {
    private Signals() {}

    private static final int RTMIN = 34;
    private static final int RTMAX = 64;

    static int parse(String text) {
        if (FlagParser.isInteger(text, false)) {
            long number = Long.parseLong(text);
            if (number > RTMAX) {
                throw unknown(text);
            }
            return (int) number;
        }
        String name = text.toUpperCase(java.util.Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        int number = byName(name);
        if (number < 0) {
            throw unknown(text);
        }
        return number;
    }

    private static int byName(String name) {
        int standard = switch (name) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "QUIT" -> 3;
            case "ILL" -> 4;
            case "TRAP" -> 5;
            case "ABRT", "IOT" -> 6;
            case "BUS" -> 7;
            case "FPE" -> 8;
            case "KILL" -> 9;
            case "USR1" -> 10;
            case "SEGV" -> 11;
            case "USR2" -> 12;
            case "PIPE" -> 13;
            case "ALRM" -> 14;
            case "TERM" -> 15;
            case "STKFLT" -> 16;
            case "CHLD", "CLD" -> 17;
            case "CONT" -> 18;
            case "STOP" -> 19;
            case "TSTP" -> 20;
            case "TTIN" -> 21;
            case "TTOU" -> 22;
            case "URG" -> 23;
            case "XCPU" -> 24;
            case "XFSZ" -> 25;
            case "VTALRM" -> 26;
            case "PROF" -> 27;
            case "WINCH" -> 28;
            case "IO", "POLL" -> 29;
            case "PWR" -> 30;
            case "SYS" -> 31;
            case "RTMIN" -> RTMIN;
            case "RTMAX" -> RTMAX;
            default -> -1;
        };
        if (standard >= 0) {
            return standard;
        }
        return realtime(name);
    }

    /** RTMIN+n counts up from 34, RTMAX-n down from 64; both must stay in 34..64. */
    private static int realtime(String name) {
        int base;
        int sign;
        if (name.startsWith("RTMIN+")) {
            base = RTMIN;
            sign = 1;
        } else if (name.startsWith("RTMAX-")) {
            base = RTMAX;
            sign = -1;
        } else {
            return -1;
        }
        String offset = name.substring(6);
        if (!FlagParser.isInteger(offset, false) || offset.length() > 2) {
            return -1;
        }
        int number = base + sign * Integer.parseInt(offset);
        return number >= RTMIN && number <= RTMAX ? number : -1;
    }

    private static dev.berth.oci.BerthException unknown(String text) {
        return dev.berth.oci.BerthException.invalid("unknown signal \"" + text + "\"");
    }
}
