package dev.berth.registry.cli;

import dev.berth.oci.image.Digest;
import dev.berth.registry.store.FileRegistryStore;
import dev.berth.registry.store.GcReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth registry gc}: mark and sweep of the blobs no manifest holds. It runs with no server
 * on the root: the store's root lock refuses to open while {@code berth registry serve} has it.
 */
@Command(name = "gc", description = "Remove blobs nothing refers to",  usageHelpAutoWidth = true)
final class GcCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help")
    boolean help;

    @Option(names = "--root", required = true, description = "Storage directory")
    Path root;

    @Option(names = "--dry-run", description = "Say what would be removed; remove nothing")
    boolean dryRun;

    @Option(names = "--delete-untagged", description = "Remove manifests no tag points at (and not named by an index) first")
    boolean deleteUntagged;

    @Override
    public Integer call() {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("no registry storage at " + root);
        }
        Logging.configure("warn");
        GcReport report;
        // no grace for blobs linked but named by no manifest: the root lock guarantees that no
        // server runs on it, so no push is in progress (docs/registry.md "Garbage collection")
        try (FileRegistryStore store = FileRegistryStore.open(root, Clock.systemUTC(), Duration.ZERO)) {
            report = store.collectGarbage(dryRun, deleteUntagged);
        }
        String verb = report.dryRun() ? "would remove" : "removed";
        for (Digest manifest : report.manifestsRemoved()) {
            System.out.println(verb + " manifest " + manifest);
        }
        for (Digest blob : report.blobsRemoved()) {
            System.out.println(verb + " blob " + blob);
        }
        System.out.printf("%s %d manifests and %d blobs, %d bytes%n", report.dryRun() ? "would free" : "freed",
                report.manifestsRemoved().size(), report.blobsRemoved().size(), report.bytesFreed());
        return 0;
    }
}
