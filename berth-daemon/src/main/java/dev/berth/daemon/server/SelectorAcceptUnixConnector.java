package dev.berth.daemon.server;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Jetty's unix-socket connector (one selector, no acceptor thread), except that a new
 * connection's endpoint and HTTP/1.1 connection are made on the selector thread that accepted it.
 *
 * <p>Jetty hands that step to a pool thread, which then has to wake the selector to register the
 * connection's read interest: two thread hand-offs before the first request, which the docker
 * CLI sends the moment it has connected (every CLI command is a new connection). Making them is
 * a few allocations and a call to the HTTP/1.1 connection's {@code onOpen}, which only asks for
 * read interest: nothing that can block. Other tasks of the selector (closing an endpoint,
 * which runs listeners) still go to the pool.
 *
 * <p>Jetty's accept task is a private class: it is recognised by name. Should a Jetty upgrade
 * rename it, connections are made on the pool again, as Jetty does; {@link #acceptedOnSelector()}
 * lets a test notice.
 */
final class SelectorAcceptUnixConnector extends UnixDomainServerConnector {
    private static final String JETTY_ACCEPT_TASK = "org.eclipse.jetty.io.ManagedSelector$Accept";

    /** Static: Jetty makes the selector manager in the super constructor, before our fields exist. */
    private static final LongAdder ACCEPTED_ON_SELECTOR = new LongAdder();

    SelectorAcceptUnixConnector(Server server, ConnectionFactory factory) {
        super(server, 0, 1, factory);
    }

    @Override
    protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
        return new UnixDomainSelectorManager(executor, scheduler, selectors) {
            @Override
            protected void execute(Runnable task) {
                if (task.getClass().getName().equals(JETTY_ACCEPT_TASK)) {
                    ACCEPTED_ON_SELECTOR.increment();
                    task.run();
                } else {
                    super.execute(task);
                }
            }
        };
    }

    /** Connections (of every such connector in this JVM) made on their selector thread so far. */
    static long acceptedOnSelector() {
        return ACCEPTED_ON_SELECTOR.sum();
    }
}
