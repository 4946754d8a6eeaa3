package io.oshigan.sampler.bench;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.InferenceGraph;
import io.oshigan.dcgan.Precision;
import io.oshigan.dcgan.ServingGraph;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import io.oshigan.dcgan.TrainingGraph;
import io.oshigan.dcgan.translate.FaceImages;
import io.oshigan.dcgan.translate.Latents;
import io.oshigan.storage.LocalFiles;
import org.tensorflow.types.TFloat32;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * Where a 64-face grid's time goes in-process, before any HTTP: the latents, the session run, the picture and the
 * PNG, each alone and the run and encoding back to back as a request does them (TensorFlow's threads may still be
 * spinning when the encoding starts). Usage: GridPathBreakdown [intraOp] [fp32|bf16]
 */
public final class GridPathBreakdown {
    private GridPathBreakdown() {
    }

    public static void main(String[] args) throws Exception {
        int intra = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Precision precision = args.length > 1 ? Precision.of(args[1]) : Precision.FP32;
        SessionThreads threads = new SessionThreads(intra, 0);
        Path dir = Files.createTempDirectory("grid-path");
        try {
            // the setting's threads from the first session on: TensorFlow sizes its CPU pool from a process's first session
            try (TrainingGraph graph = TrainingGraph.builder(Architecture.reference(), Hyperparameters.reference())
                    .seed(1).threads(threads).build()) {
                Checkpoints.write(graph, dir, 0, 0, 0, Instant.now());
            }
            try (InferenceGraph restored = Checkpoints.loadGenerator(dir, threads);
                 ServingGraph generator = ServingGraph.of(restored, threads, precision)) {
                int n = 64;
                float[] z = Latents.fromSeed(1, n, 100, Latents.Truncation.NONE, 0);
                float[][] images = new float[1][];
                try (TFloat32 latents = Tensors.of(z, n, 1, 1, 100)) {
                    images[0] = generator.generate(latents);
                    for (int warm = 0; warm < 20; warm++) {
                        FaceImages.encode(generator.generate(latents), n, 8, FaceImages.Format.PNG);
                    }
                    report("latents (64 x 100)", time(200, () -> Latents.fromSeed(7, n, 100, Latents.Truncation.NONE, 0)));
                    report("session run n=64", time(40, () -> generator.generate(latents)));
                    report("grid picture (for JPEG)", idle(40, () -> FaceImages.grid(images[0], n, 8)));
                    report("PNG, TF idle", idle(40, () -> FaceImages.encode(images[0], n, 8, FaceImages.Format.PNG)));
                    report("run then PNG", time(40, () -> FaceImages.encode(generator.generate(latents), n, 8, FaceImages.Format.PNG)));
                    FaceImages.Faces parts = (from, to) -> {
                        try (TFloat32 part = Tensors.of(Arrays.copyOfRange(z, from * 100, to * 100), to - from, 1, 1, 100)) {
                            return generator.generate(part);
                        }
                    };
                    java.util.concurrent.ExecutorService alongside = java.util.concurrent.Executors.newSingleThreadExecutor(task -> {
                        Thread thread = new Thread(task, "alongside");
                        thread.setDaemon(true);
                        return thread;
                    });
                    for (int warm = 0; warm < 10; warm++) {
                        FaceImages.png(n, 8, parts, alongside);
                    }
                    report("session run n=32", time(40, () -> parts.faces(0, 32)));
                    report("two runs of 32 at once, each half's PNG part on its thread", time(40, () -> FaceImages.png(n, 8, parts, alongside)));
                    report("run then PNG (again)", time(40, () -> FaceImages.encode(generator.generate(latents), n, 8, FaceImages.Format.PNG)));
                }
            }
        } finally {
            LocalFiles.deleteQuietly(dir);   // 87 MB
        }
    }

    private static double[] time(int times, Runnable work) {
        double[] ms = new double[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    /** Each timing after 20 ms of rest: TensorFlow's threads asleep. */
    private static double[] idle(int times, Runnable work) throws InterruptedException {
        double[] ms = new double[times];
        for (int i = 0; i < times; i++) {
            Thread.sleep(20);
            long start = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    private static void report(String what, double[] ms) {
        Arrays.sort(ms);
        System.out.printf("  %-34s median %6.2f ms  p90 %6.2f ms%n", what, ms[ms.length / 2], ms[ms.length * 9 / 10]);
    }
}
