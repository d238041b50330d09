package dev.berth.runtime.linux;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While the runtime waits in the foreground (run, exec), the signals it receives go to the
 * container's process instead, as runc forwards them. When berth-init's stage 0 stays in our
 * process group, signals the terminal sends to the whole group (INT, QUIT, WINCH) already
 * reach it and it forwards them: then we only swallow those, so they arrive once.
 */
final class SignalForwarder {
    private static final String[] FORWARDED = {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "WINCH"};

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    static SignalForwarder install(InitProcess target, boolean groupSignalsArriveDirectly) {
        SignalForwarder f = new SignalForwarder();
        for (String name : FORWARDED) {
            boolean swallow = groupSignalsArriveDirectly
                    && (name.equals("INT") || name.equals("QUIT") || name.equals("WINCH"));
            try {
                Signal s = new Signal(name);
                SignalHandler old = Signal.handle(s, swallow ? SignalHandler.SIG_IGN : new Forward(target));
                f.signals.add(s);
                f.previous.add(old);
            } catch (IllegalArgumentException ignored) {
                // the JVM reserves this one (e.g. QUIT with some flags): leave it
            }
        }
        return f;
    }

    /** A named class, not a lambda: this is on the CLI's start-up path. */
    private static final class Forward implements SignalHandler {
        private final InitProcess target;

        Forward(InitProcess target) {
            this.target = target;
        }

        @Override
        public void handle(Signal sig) {
            try {
                target.signal(sig.getNumber());
            } catch (RuntimeException ignored) {
                // the process is already gone
            }
        }
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
