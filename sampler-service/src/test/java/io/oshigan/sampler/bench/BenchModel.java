package io.oshigan.sampler.bench;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.InferenceGraph;
import io.oshigan.dcgan.ServingGraph;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import io.oshigan.dcgan.TrainingGraph;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StorageSettings;
import org.tensorflow.types.TFloat32;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * Benchmark set-up: uploads a reference-size checkpoint as bench@1 and times the bare in-process inference call of
 * the graph the sampler serves.
 * Usage: BenchModel S3_ENDPOINT [intraOpThreads] [fp32|bf16]   (the setting the sampler will run in)
 */
public final class BenchModel {
    private BenchModel() {
    }

    public static void main(String[] args) throws Exception {
        SessionThreads threads = new SessionThreads(args.length > 1 ? Integer.parseInt(args[1]) : 0, 0);
        io.oshigan.dcgan.Precision precision = args.length > 2 ? io.oshigan.dcgan.Precision.of(args[2]) : io.oshigan.dcgan.Precision.FP32;
        Path dir = Files.createTempDirectory("bench-model");
        // the setting's threads from the first session on: TensorFlow sizes its CPU pool from a process's first session
        try (TrainingGraph graph = TrainingGraph.builder(Architecture.reference(), Hyperparameters.reference())
                .seed(1).threads(threads).build()) {
            Checkpoints.write(graph, dir, 0, 0, 0, Instant.now());
        }
        try (ObjectStore store = ObjectStore.connect(new StorageSettings(URI.create(args[0]), StorageSettings.DEFAULT_ACCESS_KEY,
                StorageSettings.DEFAULT_SECRET_KEY, StorageSettings.DEFAULT_REGION))) {
            new CheckpointStore(store).uploadCheckpoint("bench", 1, dir);
        }
        try (InferenceGraph restored = Checkpoints.loadGenerator(dir, threads);
             ServingGraph generator = ServingGraph.of(restored, threads, precision)) {
            for (int n : new int[]{64, 16, 8, 1}) {
                // drawn as the sampler draws them (zeros ran up to 7% faster in bf16 here)
                float[] z = io.oshigan.dcgan.translate.Latents.fromSeed(n, n, 100, io.oshigan.dcgan.translate.Latents.Truncation.NONE, 0);
                double[] ms = new double[n == 64 ? 20 : n == 16 ? 50 : 200];
                try (TFloat32 latents = Tensors.of(z, n, 1, 1, 100)) {
                    for (int i = 0; i < 5; i++) {
                        generator.generate(latents);
                    }
                    for (int i = 0; i < ms.length; i++) {
                        long start = System.nanoTime();
                        generator.generate(latents);
                        ms[i] = (System.nanoTime() - start) / 1e6;
                    }
                }
                double mean = Arrays.stream(ms).average().orElseThrow();
                Arrays.sort(ms);
                System.out.printf("in-process generate n=%d: median %.1f ms = %.0f images/s (mean %.1f ms = %.0f images/s)%n", n,
                        ms[ms.length / 2], n * 1000 / ms[ms.length / 2], mean, n * 1000 / mean);
            }
        }
    }
}
