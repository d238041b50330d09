import dev.berth.image.archive.ImageRegistry;
import dev.berth.image.archive.ImageTransfer;
import dev.berth.image.content.FileContentStore;
import dev.berth.image.snapshot.OverlaySnapshotter;
import dev.berth.image.store.ImageService;
import dev.berth.image.store.ImageStore;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * bench/images.py's in-process side: reads commands from stdin ("reset", "load", "save") and
 * answers "ok <milliseconds>". load reads the archive into a fresh data root (reset empties it);
 * save writes the loaded image to the output file (a FileOutputStream, so blobs go by sendfile).
 */
public class ImagesBench {
    public static void main(String[] args) throws Exception {
        Path dataRoot = Path.of(args[0]);
        Path archive = Path.of(args[1]);
        Path out = Path.of(args[2]);
        ImageTransfer transfer = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            long t0 = System.nanoTime();
            switch (line.strip()) {
                case "reset" -> {
                    delete(dataRoot);
                    FileContentStore content = FileContentStore.open(dataRoot);
                    OverlaySnapshotter snapshots = new OverlaySnapshotter(dataRoot);
                    ImageService service = new ImageService(ImageStore.open(dataRoot, content), content, snapshots);
                    transfer = new ImageTransfer(dataRoot, content, snapshots, ImageRegistry.of(service));
                    t0 = System.nanoTime();
                }
                case "load" -> {
                    try (InputStream a = Files.newInputStream(archive)) {
                        transfer.load(a);
                    }
                }
                case "save" -> {
                    try (FileOutputStream o = new FileOutputStream(out.toFile())) {
                        transfer.save(List.of("bench/images:latest"), o, ImageTransfer.Format.DOCKER);
                    }
                    Files.delete(out);
                }
                default -> throw new IllegalArgumentException(line);
            }
            System.out.println("ok " + (System.nanoTime() - t0) / 1_000_000.0);
            System.out.flush();
        }
    }

    private static void delete(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
