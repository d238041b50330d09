package dev.berth.daemon;

import dev.berth.daemon.config.CommandLine;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.oci.BerthException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code berthd}: reads flags and daemon.json, starts the daemon, and on SIGTERM or SIGINT stops
 * it cleanly (no new connections, streams cut, socket and pid file removed) and exits 0.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        CommandLine line;
        DaemonConfig config;
        try {
            line = CommandLine.parse(List.of(args));
            if (line.help()) {
                System.out.print(CommandLine.USAGE);
                return;
            }
            if (line.version()) {
                System.out.println("berthd version " + BerthdVersion.VERSION + ", build " + BerthdVersion.GIT_COMMIT);
                return;
            }
            config = DaemonConfig.load(line);
        } catch (BerthException e) {
            System.err.println(e.getMessage());
            System.err.println("See 'berthd --help'.");
            System.exit(1);
            return;
        }
        // before the first logger exists: jetty-slf4j-impl reads its levels once
        System.setProperty("org.eclipse.jetty.LEVEL", config.debug() ? "INFO" : "WARN");
        System.setProperty("dev.berth.LEVEL", config.logLevel().slf4jName());
        Logger log = LoggerFactory.getLogger(Main.class);

        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Daemon daemon;
        try {
            daemon = Daemon.start(config);
        } catch (BerthException e) {
            log.error("failed to start daemon: {}", e.getMessage());
            System.err.println("failed to start daemon: " + e.getMessage());
            System.exit(1);
            return;
        }
        log.info("Daemon has completed initialization");
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Processing signal, shutting down");
        daemon.close();
        log.info("Daemon shutdown complete");
        System.exit(0);
    }
}
