import dev.berth.engine.ContainerEngine;
import dev.berth.engine.CreateRequest;
import dev.berth.engine.EngineOptions;
import dev.berth.engine.WaitCondition;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.image.archive.ImageRegistry;
import dev.berth.image.archive.ImageTransfer;
import dev.berth.image.bootstrap.ImageBootstrap;
import dev.berth.image.snapshot.OverlaySnapshotter;
import dev.berth.image.store.ImageService;
import dev.berth.oci.image.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engine's launch without HTTP: create + start + wait + remove of a busybox `true`, in one
 * warm JVM, with the time of each step. What berthd's API adds on top is the difference between
 * this and bench/containers.sh's API line. Args: data root, exec root, berth-init, rounds.
 */
public class EngineBench {
    public static void main(String[] args) throws Exception {
        Path dataRoot = Path.of(args[0]);
        Path execRoot = Path.of(args[1]);
        int rounds = Integer.parseInt(args[3]);
        OverlaySnapshotter snapshots = new OverlaySnapshotter(dataRoot);
        ImageService images = ImageService.open(dataRoot, snapshots);
        ImageTransfer transfer = new ImageTransfer(dataRoot, images.content(), snapshots, ImageRegistry.of(images));
        new ImageBootstrap(dataRoot, transfer).busybox(List.of(Reference.parse("busybox:latest")), s -> { });
        try (ContainerEngine engine = ContainerEngine.open(EngineOptions.of(dataRoot, execRoot, Path.of(args[2])), images)) {
            int warm = Math.max(5, rounds / 5);
            long cpu0 = 0;
            List<double[]> samples = new ArrayList<>();
            for (int i = 0; i < warm + rounds; i++) {
                long t0 = System.nanoTime();
                Container c = engine.create(CreateRequest.of(ContainerConfig.of("busybox:latest", List.of("true")),
                        HostConfig.DEFAULT));
                long t1 = System.nanoTime();
                engine.start(c.id());
                long t2 = System.nanoTime();
                engine.await(c.id(), WaitCondition.NOT_RUNNING, Duration.ofSeconds(30));
                long t3 = System.nanoTime();
                engine.remove(c.id(), false);
                long t4 = System.nanoTime();
                if (i == warm - 1) {
                    cpu0 = cpuNanos();
                }
                if (i >= warm) {
                    samples.add(new double[] {(t4 - t0) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6,
                            (t4 - t3) / 1e6});
                }
            }
            String[] names = {"total", "create", "start", "wait", "remove"};
            for (int k = 0; k < names.length; k++) {
                final int col = k;
                double[] xs = samples.stream().mapToDouble(s -> s[col]).sorted().toArray();
                System.out.printf("engine %-7s median %7.2f ms  p10 %7.2f  p90 %7.2f  min %7.2f  max %7.2f%n", names[k],
                        xs[xs.length / 2], xs[xs.length / 10], xs[xs.length * 9 / 10], xs[0], xs[xs.length - 1]);
            }
            // on a shared machine CPU time moves far less than wall time
            System.out.printf("engine cpu per launch %.2f ms (this JVM and its reaped children)%n",
                    (cpuNanos() - cpu0) / 1e6 / rounds);
            System.out.println("rounds " + rounds + " after " + warm + " warm-up; load " + Arrays.toString(loadavg()));
        }
    }

    /** utime + stime + cutime + cstime of this process (clock ticks of 10 ms), in ns. */
    private static long cpuNanos() throws Exception {
        String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10_000_000L;
    }

    private static String[] loadavg() throws Exception {
        return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ", 4);
    }
}
