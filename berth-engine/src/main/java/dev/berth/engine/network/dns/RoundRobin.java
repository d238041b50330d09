package dev.berth.engine.network.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rotates the addresses of a name one step per question, so clients that take the first
 * address (most do) spread over the containers sharing an alias. The counters are forgotten
 * when there are too many names, which only restarts some rotations.
 */
final class RoundRobin {
    private static final int MAX_NAMES = 4096;

    private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();

    List<InetAddress> next(String name, List<InetAddress> addresses) {
        if (addresses.size() < 2) {
            return addresses;
        }
        if (turns.size() >= MAX_NAMES) {
            turns.clear();
        }
        int turn = turns.computeIfAbsent(name, n -> new AtomicInteger()).getAndIncrement();
        List<InetAddress> rotated = new ArrayList<>(addresses);
        Collections.rotate(rotated, -Math.floorMod(turn, addresses.size()));
        return rotated;
    }
}
