package io.oshigan.sampler.bench;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.InferenceGraph;
import io.oshigan.dcgan.Precision;
import io.oshigan.dcgan.Bf16Check;
import io.oshigan.dcgan.ServingGraph;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import io.oshigan.dcgan.TrainingGraph;
import io.oshigan.dcgan.translate.Latents;
import io.oshigan.sampler.config.SamplerConfig;
import io.oshigan.sampler.inference.BatchingGenerator;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.LocalFiles;
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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static io.oshigan.dcgan.Bf16Check.Scope.SERVING;

/**
 * Benchmark set-up: uploads a checkpoint (reference size as bench@1 unless told otherwise) and times the bare
 * in-process inference call of the graph the sampler serves (the same weights: the same seed): one call at a time,
 * then calls at once as the sampler makes them (batches of 16 on each of the batcher's workers; a grid's two halves,
 * where the sampler generates them at once).
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
    /** The largest batch 16 clients form, timed on as many calls at once as the batcher runs workers. */
    private static final int CROWD_BATCH = 16;
    /** A 64-face grid's halves, generated at once where the sampler does ({@code grid-overlap}'s default). */
    private static final int GRID_HALF = 32;

    private BenchModel() {
    }

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>(Arrays.asList(args));
        boolean upload = !positional.remove("--no-upload");
        boolean time = !positional.remove("--no-time");
        String round = option(positional, "--round").map(r -> " (round " + r + ")").orElse("");
        Optional<String> run = option(positional, "--as");
        Optional<Integer> ngf = option(positional, "--ngf").map(Integer::parseInt);
        if (run.isPresent() != ngf.isPresent()) {
            throw new IllegalArgumentException("--as and --ngf go together: another width under another run's name");
        }
        Architecture architecture = ngf.map(w -> new Architecture(Architecture.DEFAULT_NZ, w, Architecture.DEFAULT_NDF))
                .orElse(Architecture.reference());
        int intraOp = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 0;
        SessionThreads threads = new SessionThreads(intraOp, 0);
        Precision precision = positional.size() > 2 ? Precision.of(positional.get(2)) : Precision.FP32;
        Path dir = Files.createTempDirectory("bench-model");
        try {
            // the setting's threads from the first session on: TensorFlow sizes its CPU pool from a process's first session
            try (TrainingGraph graph = TrainingGraph.builder(architecture, Hyperparameters.reference())
                    .seed(1).threads(threads).build()) {
                Checkpoints.write(graph, dir, 0, 0, 0, Instant.now());
            }
            if (upload) {
                try (ObjectStore store = ObjectStore.connect(new StorageSettings(URI.create(positional.get(0)),
                        StorageSettings.DEFAULT_ACCESS_KEY, StorageSettings.DEFAULT_SECRET_KEY, StorageSettings.DEFAULT_REGION))) {
                    new CheckpointStore(store).uploadCheckpoint(run.orElse("bench"), 1, dir);
                }
            }
            if (time) {
                try (InferenceGraph restored = Checkpoints.loadGenerator(dir, threads);
                     ServingGraph generator = ServingGraph.of(restored, threads, precision)) {
                    // bf16 failed its check here: the lines are fp32's
                    Bf16Check.fallback(precision, restored.architecture(), threads, SERVING)
                            .ifPresent(System.out::println);
                    for (int[] sizeAndRuns : SIZES_AND_RUNS) {
                        time(generator, sizeAndRuns[0], sizeAndRuns[1], round);
                    }
                    int cores = Runtime.getRuntime().availableProcessors();
                    timeAtOnce(generator, CROWD_BATCH, BatchingGenerator.workersFor(cores, intraOp), round);
                    if (SamplerConfig.overlapsGridsByDefault(intraOp, cores)) {   // else the grid is one run of 64
                        timeAtOnce(generator, GRID_HALF, 2, round);
                    }
                }
            }
        } finally {
            LocalFiles.deleteQuietly(dir);   // 87 MB a call, and the bench calls it in every round
        }
    }

    private static void time(ServingGraph generator, int n, int maxRuns, String round) {
        double[] ms = new double[maxRuns];
        int runs = 0;
        try (TFloat32 latents = latents(n)) {
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

    /** CALLERS threads each generating batches of N for the time budget: the images all of them made a second. */
    private static void timeAtOnce(ServingGraph generator, int n, int callers, String round) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        AtomicLong began = new AtomicLong();
        CyclicBarrier warm = new CyclicBarrier(callers, () -> began.set(System.nanoTime()));   // timed from here
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                done.add(pool.submit(() -> {
                    int runs = 0;
                    try (TFloat32 latents = latents(n)) {
                        generator.generate(latents);
                        warm.await();
                        while (runs < MIN_RUNS || System.nanoTime() - began.get() < BUDGET_NANOS) {
                            generator.generate(latents);
                            runs++;
                        }
                    }
                    return runs;
                }));
            }
            int runs = 0;
            for (Future<Integer> each : done) {
                runs += each.get();
            }
            double seconds = (System.nanoTime() - began.get()) / 1e9;
            System.out.printf("in-process generate n=%d%s, %d calls at once: %.0f images/s (%d runs in %.1f s)%n",
                    n, round, callers, runs * n / seconds, runs, seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Drawn as the sampler draws them (zeros ran up to 7% faster in bf16 here). */
    private static TFloat32 latents(int n) {
        return Tensors.of(Latents.fromSeed(n, n, Architecture.DEFAULT_NZ, Latents.Truncation.NONE, 0), n, 1, 1, Architecture.DEFAULT_NZ);
    }

    /** Removes "NAME VALUE" from the arguments: the value, if given. */
    private static Optional<String> option(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0) {
            return Optional.empty();
        }
        if (at + 1 == args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args.get(at + 1);
        args.subList(at, at + 2).clear();
        return Optional.of(value);
    }
}
