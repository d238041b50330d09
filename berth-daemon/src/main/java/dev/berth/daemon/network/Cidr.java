package dev.berth.daemon.network;

import dev.berth.oci.BerthException;
import java.net.InetAddress;

/** The form of CIDRs and addresses in a network create, in dockerd 20.10's words ("Invalid subnet x : invalid CIDR address: x"). */
final class Cidr {
    private Cidr() {}

    static void check(String what, String cidr) {
        int slash = cidr.indexOf('/');
        boolean ok = slash > 0;
        if (ok) {
            String address = cidr.substring(0, slash);
            String prefix = cidr.substring(slash + 1);
            ok = literal(address) && prefix.matches("\\d{1,3}")
                    && Integer.parseInt(prefix) <= (address.contains(":") ? 128 : 32);
        }
        if (!ok) {
            throw BerthException.invalid("Invalid " + what + " " + cidr + " : invalid CIDR address: " + cidr);
        }
    }

    static void checkAddress(String gateway) {
        if (!literal(gateway)) {
            throw BerthException.invalid("invalid gateway address " + gateway + " in Ipam configuration");
        }
    }

    private static boolean literal(String a) {
        if (!(a.matches("\\d{1,3}(\\.\\d{1,3}){3}") || a.contains(":") && a.matches("[0-9A-Fa-f:.]+"))) {
            return false;
        }
        try {
            InetAddress.ofLiteral(a);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
