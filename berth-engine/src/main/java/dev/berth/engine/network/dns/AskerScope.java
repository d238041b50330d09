package dev.berth.engine.network.dns;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * The addresses a listener answers: all, or those in one subnet (the network's, so that the
 * gateway address, which the host's other interfaces can route to, is no open resolver).
 * An IPv4 asker reaching an IPv6 socket appears as ::ffff:a.b.c.d and is compared as IPv4.
 */
record AskerScope(byte[] network, int prefixLength) {

    static final AskerScope ANY = new AskerScope(new byte[0], -1);

    AskerScope {
        network = network.clone();
    }

    /** The subnet {@code address}/{@code prefixLength}; every asker when the prefix is negative. */
    static AskerScope of(InetAddress address, int prefixLength) {
        return prefixLength < 0 ? ANY : new AskerScope(address.getAddress(), prefixLength);
    }

    boolean admits(InetAddress asker) {
        if (prefixLength < 0) {
            return true;
        }
        byte[] bytes = unmapped(asker.getAddress());
        if (bytes.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (bytes[full] & mask) == (network[full] & mask);
    }

    private static byte[] unmapped(byte[] address) {
        if (address.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= address[i] == 0;
            }
            mapped &= address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
            if (mapped) {
                return Arrays.copyOfRange(address, 12, 16);
            }
        }
        return address;
    }
}
