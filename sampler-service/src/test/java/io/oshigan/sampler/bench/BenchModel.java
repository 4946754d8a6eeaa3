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
import io.oshigan.dcgan.translate.Latents;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StorageSettings;
import org.tensorflow.types.TFloat32;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Benchmark set-up: uploads a reference-size checkpoint as bench@1 and times the bare in-process inference call of
 * the graph the sampler serves (the same weights: the same seed).
 * Usage: BenchModel S3_ENDPOINT [intraOpThreads] [fp32|bf16] [--no-upload | --no-time] [--round N] [--as RUN --ngf N]
 * (the setting the sampler will run in; --round N tags the timings, for a bench that times the call again in each of
 * its rounds; --as RUN --ngf N uploads a generator of another width as RUN@1, e.g. one so narrow that a sampler
 * serving it measures its HTTP path alone)
 */
public final class BenchModel {
    /** Each batch size is timed this many runs at most, or for {@link #BUDGET_NANOS} (at least {@link #MIN_RUNS}). */
    private static final int[][] SIZES_AND_RUNS = {{64, 20}, {16, 50}, {8, 200}, {1, 200}};
    private static final long BUDGET_NANOS = 3_000_000_000L;
    private static final int MIN_RUNS = 5;
    private static final int WARM_UP_RUNS = 3;

    private BenchModel() {
    }

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>(Arrays.asList(args));
        boolean upload = !positional.remove("--no-upload");
        boolean time = !positional.remove("--no-time");
        String round = option(positional, "--round").map(r -> " (round " + r + ")").orElse("");
        String run = option(positional, "--as").orElse("bench");
        Architecture architecture = option(positional, "--ngf").map(Integer::parseInt)
                .map(ngf -> new Architecture(Architecture.DEFAULT_NZ, ngf, Architecture.DEFAULT_NDF)).orElse(Architecture.reference());
        SessionThreads threads = new SessionThreads(positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 0, 0);
        Precision precision = positional.size() > 2 ? Precision.of(positional.get(2)) : Precision.FP32;
        Path dir = Files.createTempDirectory("bench-model");
        // the setting's threads from the first session on: TensorFlow sizes its CPU pool from a process's first session
        try (TrainingGraph graph = TrainingGraph.builder(architecture, Hyperparameters.reference())
                .seed(1).threads(threads).build()) {
            Checkpoints.write(graph, dir, 0, 0, 0, Instant.now());
        }
        if (upload) {
            try (ObjectStore store = ObjectStore.connect(new StorageSettings(URI.create(positional.get(0)),
                    StorageSettings.DEFAULT_ACCESS_KEY, StorageSettings.DEFAULT_SECRET_KEY, StorageSettings.DEFAULT_REGION))) {
                new CheckpointStore(store).uploadCheckpoint(run, 1, dir);
            }
        }
        if (!time) {
            return;
        }
        try (InferenceGraph restored = Checkpoints.loadGenerator(dir, threads);
             ServingGraph generator = ServingGraph.of(restored, threads, precision)) {
            for (int[] sizeAndRuns : SIZES_AND_RUNS) {
                time(generator, sizeAndRuns[0], sizeAndRuns[1], round);
            }
        }
    }

    /** Removes "NAME VALUE" from the arguments: the value, if given. */
    private static Optional<String> option(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0) {
            return Optional.empty();
        }
        String value = args.get(at + 1);
        args.subList(at, at + 2).clear();
        return Optional.of(value);
    }

    private static void time(ServingGraph generator, int n, int maxRuns, String round) {
        // drawn as the sampler draws them (zeros ran up to 7% faster in bf16 here)
        float[] z = Latents.fromSeed(n, n, 100, Latents.Truncation.NONE, 0);
        double[] ms = new double[maxRuns];
        int runs = 0;
        try (TFloat32 latents = Tensors.of(z, n, 1, 1, 100)) {
            for (int i = 0; i < WARM_UP_RUNS; i++) {
                generator.generate(latents);
            }
            // bounded in time: an emulated bf16 run of 64 takes seconds on one thread
            for (long began = System.nanoTime(); runs < maxRuns && (runs < MIN_RUNS || System.nanoTime() - began < BUDGET_NANOS); runs++) {
                long start = System.nanoTime();
                generator.generate(latents);
                ms[runs] = (System.nanoTime() - start) / 1e6;
            }
        }
        double[] timed = Arrays.copyOf(ms, runs);
        double mean = Arrays.stream(timed).average().orElseThrow();
        Arrays.sort(timed);
        double median = timed[runs / 2];
        System.out.printf("in-process generate n=%d%s: median %.1f ms = %.0f images/s (mean %.1f ms = %.0f images/s, %d runs)%n",
                n, round, median, n * 1000 / median, mean, n * 1000 / mean, runs);
    }
}
