package io.oshigan.trainer.bench;

import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.dcgan.translate.FacePixels;
import io.oshigan.trainer.domain.ImageCache;
import io.oshigan.trainer.domain.SyntheticFaces;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The trainer's start-up data path without S3: N stored crops (PNG bytes of synthetic faces) decoded and admitted as
 * the service does at start (in chunks of 256), into a cache of CACHE_MB. Prints time, heap after GC and the
 * process's resident set. Run one N per JVM, with the pod's heap:
 * {@code java -Xmx1g -XX:+ExitOnOutOfMemoryError -cp <trainer test classpath> io.oshigan.trainer.bench.DatasetMemoryBench N CACHE_MB}
 */
public final class DatasetMemoryBench {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long cacheMb = Long.parseLong(args[1]);
        byte[][] pngs = new byte[64][];
        for (int i = 0; i < pngs.length; i++) {
            pngs[i] = SyntheticFaces.png(SyntheticFaces.face(7, i));
        }
        Path spill = Files.createTempDirectory("dataset-bench");
        long started = System.nanoTime();
        try (FaceDataset data = new FaceDataset(new ImageCache(cacheMb << 20, spill))) {
            for (int i = 0; i < n; i++) {
                byte[] pixels = FacePixels.fromImageBytes(pngs[i % pngs.length]);
                pixels[0] = (byte) i; // a face of its own: the data set holds a face once, whatever keys hold it
                pixels[1] = (byte) (i >> 8);
                pixels[2] = (byte) (i >> 16);
                data.offer(String.format("crops/%08d/000.png", i), pixels);
                if ((i + 1) % 256 == 0) {
                    data.admitPending();
                }
            }
            data.admitPending();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
            String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                    .findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
            System.out.printf("faces %d, cache %d MB: admitted %d in %.1f s (%.0f faces/s), heap after GC %d MB, %s%n",
                    n, cacheMb, data.size(), seconds, n / seconds, heapMb, rss);
        }
    }
}
