package dev.berth.cli.container;

/**
 * Go's {@code net.ParseMAC} as a yes/no (the docker CLI's ValidateMACAddress): 6, 8 or 20 bytes
 * as pairs of hex digits joined by ':' or '-', or groups of four joined by '.'.
 */
final class MacAddress {
    private MacAddress() {}

    static boolean valid(String s) {
        if (s.length() < 14) {
            return false;
        }
        if (s.charAt(2) == ':' || s.charAt(2) == '-') {
            if ((s.length() + 1) % 3 != 0) {
                return false;
            }
            int bytes = (s.length() + 1) / 3;
            if (bytes != 6 && bytes != 8 && bytes != 20) {
                return false;
            }
            char sep = s.charAt(2);
            for (int i = 0; i < bytes; i++) {
                int at = i * 3;
                if (!hex(s.charAt(at)) || !hex(s.charAt(at + 1)) || i < bytes - 1 && s.charAt(at + 2) != sep) {
                    return false;
                }
            }
            return true;
        }
        if (s.charAt(4) == '.') {
            if ((s.length() + 1) % 5 != 0) {
                return false;
            }
            int bytes = 2 * (s.length() + 1) / 5;
            if (bytes != 6 && bytes != 8 && bytes != 20) {
                return false;
            }
            for (int i = 0; i < bytes / 2; i++) {
                int at = i * 5;
                for (int j = 0; j < 4; j++) {
                    if (!hex(s.charAt(at + j))) {
                        return false;
                    }
                }
                if (i < bytes / 2 - 1 && s.charAt(at + 4) != '.') {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
