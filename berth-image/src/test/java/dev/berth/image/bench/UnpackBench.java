package dev.berth.image.bench;

import dev.berth.image.layer.Compression;
import dev.berth.image.layer.LayerUnpacker;
import dev.berth.image.layer.UnpackResult;
import dev.berth.oci.image.Digest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Layer unpack throughput, run by hand (bench/layer-unpack.sh): for each layer file, the median
 * of N unpacks into a fresh directory, in MB/s of uncompressed tar; with {@code --decompress},
 * also the gzip decoders alone (JDK vs commons-compress) and sha256 alone.
 */
public final class UnpackBench {
    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 5);
        Path work = Path.of(System.getProperty("work", "/tmp/berth-layers-bench/out"));
        boolean decompress = Boolean.getBoolean("decompress");
        for (String arg : args) {
            Path layer = Path.of(arg);
            if (decompress) {
                decoders(layer, runs);
                continue;
            }
            long[] nanos = new long[runs + 1];
            UnpackResult r = null;
            for (int i = 0; i <= runs; i++) { // run 0 warms up
                Path target = work.resolve("run-" + i);
                dev.berth.image.io.FileTrees.delete(target);
                long t0 = System.nanoTime();
                try (InputStream in = Files.newInputStream(layer)) {
                    r = new LayerUnpacker().unpack(in, target);
                }
                nanos[i] = System.nanoTime() - t0;
                dev.berth.image.io.FileTrees.delete(target);
            }
            long tarBytes = tarSize(layer);
            long median = median(nanos);
            System.out.printf("%-40s %8.1f ms  %7.1f MB/s (uncompressed %d bytes, on disk %d, %s)%n",
                    layer.getFileName(), median / 1e6, tarBytes / (median / 1e9) / 1e6, tarBytes, r.size(), r.diffId());
        }
    }

    private static void decoders(Path layer, int runs) throws IOException {
        byte[] buf = new byte[1 << 20];
        String[] names = {"jdk GZIPInputStream", "commons GzipCompressorInputStream", "Compression.open", "sha256 only"};
        for (int k = 0; k < names.length; k++) {
            long[] nanos = new long[runs + 1];
            long total = 0;
            for (int i = 0; i <= runs; i++) {
                long t0 = System.nanoTime();
                total = 0;
                try (InputStream file = new BufferedInputStream(Files.newInputStream(layer), 1 << 17)) {
                    InputStream in = switch (k) {
                        case 0 -> new GZIPInputStream(file, 1 << 17);
                        case 1 -> GzipCompressorInputStream.builder().setInputStream(file)
                                .setDecompressConcatenated(true).get();
                        case 2 -> Compression.open(file);
                        default -> file;
                    };
                    MessageDigest sha = k == 3 ? Digest.newHasher("sha256") : null;
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        total += n;
                        if (sha != null) {
                            sha.update(buf, 0, n);
                        }
                    }
                }
                nanos[i] = System.nanoTime() - t0;
            }
            long median = median(nanos);
            System.out.printf("%-40s %-36s %8.1f ms  %7.1f MB/s out%n", layer.getFileName(), names[k], median / 1e6,
                    total / (median / 1e9) / 1e6);
        }
    }

    private static long tarSize(Path layer) throws IOException {
        long total = 0;
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Compression.open(Files.newInputStream(layer))) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
            }
        }
        return total;
    }

    private static long median(long[] withWarmup) {
        long[] s = java.util.Arrays.copyOfRange(withWarmup, 1, withWarmup.length);
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
