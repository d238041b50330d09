package dev.berth.registry.cli;

import dev.berth.oci.image.Digest;
import dev.berth.registry.store.FileRegistryStore;
import dev.berth.registry.store.GcReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth registry gc}: mark and sweep of the blobs no manifest or repository holds. As with
 * distribution's garbage-collect, run it while no server pushes to the same root (a blob
 * uploaded between mark and sweep could otherwise go).
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
        try (FileRegistryStore store = FileRegistryStore.open(root)) {
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
