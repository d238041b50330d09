package dev.berth.cli.tty;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Signal handlers for the CLI's own process, through {@code sun.misc.Signal} (the JDK's
 * supported-if-unsupported API: jdk.internal.misc.Signal is not exported). Used for SIGWINCH
 * (resize the container's terminal) and for --sig-proxy (pass SIGINT, SIGTERM... on to the
 * container). {@link #close()} puts the previous handlers back.
 */
public final class Signals implements AutoCloseable {
    /** What --sig-proxy forwards: the catchable signals the JVM does not keep for itself. */
    public static final List<String> PROXIED = List.of("INT", "TERM", "HUP", "USR2", "ALRM", "TSTP", "XCPU", "XFSZ",
            "VTALRM", "PROF");

    private record Installed(Signal signal, SignalHandler previous) {}

    private final List<Installed> installed = new ArrayList<>();

    /** Calls {@code handler} with the signal's name each time one of {@code names} arrives; unknown or reserved ones are skipped. */
    public Signals on(List<String> names, Consumer<String> handler) {
        for (String name : names) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, s -> handler.accept(s.getName()));
                installed.add(new Installed(signal, previous));
            } catch (IllegalArgumentException reservedOrUnknown) {
                // the JVM keeps some (QUIT, USR1) and the platform may not know others
            }
        }
        return this;
    }

    @Override
    public void close() {
        for (Installed i : installed.reversed()) {
            try {
                Signal.handle(i.signal(), i.previous());
            } catch (IllegalArgumentException ignored) {
                // nothing to put back
            }
        }
        installed.clear();
    }
}
