package dev.berth.runtime.linux;

import dev.berth.runtime.sys.Syscalls;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While the runtime waits in the foreground (run, exec), the signals it receives go to the
 * container's process instead, as runc forwards them.
 */
final class SignalForwarder {
    private static final String[] FORWARDED = {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "WINCH"};

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    static SignalForwarder install(Syscalls sys, int pid) {
        SignalForwarder f = new SignalForwarder();
        for (String name : FORWARDED) {
            try {
                Signal s = new Signal(name);
                SignalHandler old = Signal.handle(s, sig -> {
                    try {
                        sys.kill(pid, sig.getNumber());
                    } catch (RuntimeException ignored) {
                        // the process is already gone
                    }
                });
                f.signals.add(s);
                f.previous.add(old);
            } catch (IllegalArgumentException ignored) {
                // the JVM reserves this one (e.g. QUIT with some flags): leave it
            }
        }
        return f;
    }

    void uninstall() {
        for (int i = 0; i < signals.size(); i++) {
            try {
                Signal.handle(signals.get(i), previous.get(i));
            } catch (IllegalArgumentException ignored) {
                // nothing to restore
            }
        }
    }
}
