package dev.berth.daemon.container;

import dev.berth.oci.BerthException;

/** The h and w of a resize request, read as dockerd reads them (Go's strconv.ParseUint, 32 bits). */
final class TerminalSize {
    private TerminalSize() {}

    static int parse(String text) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || !text.chars().allMatch(ch -> ch < 128)) {
            throw BerthException.invalid("strconv.ParseUint: parsing \"" + text + "\": invalid syntax");
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = Long.MAX_VALUE;
        }
        if (value > 0xffffffffL) {
            throw BerthException.invalid("strconv.ParseUint: parsing \"" + text + "\": value out of range");
        }
        // a pty's winsize holds 16 bits: what is larger than any screen is clamped, not refused
        return (int) Math.min(value, 0xffff);
    }
}
