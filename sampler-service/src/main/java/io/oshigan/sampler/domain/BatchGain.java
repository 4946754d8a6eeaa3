package io.oshigan.sampler.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * What merging requests saves on one generator here, measured once when it is loaded: a lone run of one image against
 * a run of {@link #BATCH} images, alone on the session (the live fit, {@link BatchCosts}, sees a crowd's batches,
 * nearly all of one size: there one noisy lone run moved its split from 1% of a lone image's time to 38%, measured).
 * <p>
 * A batched image saves up to the fixed part of a lone run (all of it in a large batch, 7/8 of it in a batch of 8):
 * {@code fixed / lone}, with the fixed part what a lone run costs beyond the per-image slope of the two. Where that share is below {@link #SAVES_NOTHING_BELOW} (a run's time is all
 * images: bf16 kernels emulated without oneDNN) merging saves nothing and only makes requests wait for each other's
 * images, and the batcher runs them unmerged, one at a time per worker.
 */
public record BatchGain(long loneNanos, long batchNanos) {
    /** Images in the measured batch. */
    public static final int BATCH = 8;
    /** Runs of each size measured (alternating, after a warm-up of each); the median counts. */
    public static final int ROUNDS = 5;
    /**
     * Batching pays where a batched image saves at least this share of a lone image's time. Measured alone on 2 cores
     * (the sampler bench's in-process n=1 and n=8): 0.02-0.05 with bf16 emulated, 0.14-0.67 in the six other settings.
     * Since bf16 activations stay bf16 between layers, bf16 emulated measures 0.036-0.21 at load (AMD Zen 5, four bench
     * runs) and the decision differs between loads; there merging and not merging serve alike (16 clients: 0.86-1.00
     * of batching off's rate merged, 1.00-1.02 unmerged).
     */
    public static final double SAVES_NOTHING_BELOW = 0.1;
    /** No measurement (batching off, or its measure turned off): batching is taken to pay. */
    public static final BatchGain UNMEASURED = new BatchGain(0, 0);

    /** Times {@code run} (its argument: images in the run) for 1 and {@link #BATCH} images. */
    public static BatchGain measure(IntConsumer run) {
        return measure(run, System::nanoTime);
    }

    /** As {@link #measure(IntConsumer)}, on {@code clock} (nanoseconds). */
    static BatchGain measure(IntConsumer run, LongSupplier clock) {
        run.accept(1);
        run.accept(BATCH);
        long[] lone = new long[ROUNDS];
        long[] batch = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            lone[i] = timed(run, 1, clock);
            batch[i] = timed(run, BATCH, clock);
        }
        return new BatchGain(median(lone), median(batch));
    }

    /** The share of a lone image's time a batched image saves in a large batch, 0 to 1. */
    public double share() {
        if (loneNanos <= 0) {
            return 1;
        }
        double perImage = Math.max(0, (batchNanos - loneNanos) / (double) (BATCH - 1));
        return Math.min(1, Math.max(0, (loneNanos - perImage) / loneNanos));
    }

    public boolean saves() {
        return share() >= SAVES_NOTHING_BELOW;
    }

    @Override
    public String toString() {
        if (loneNanos <= 0) {
            return "not measured: batching taken to pay";
        }
        return String.format(Locale.ROOT, "one image %.2f ms, %d at once %.2f ms: a batched image saves up to %.1f%% of a lone one's time%s",
                loneNanos / 1e6, BATCH, batchNanos / 1e6, 100 * share(), saves() ? "" : ", so requests run alone");
    }

    private static long timed(IntConsumer run, int images, LongSupplier clock) {
        long start = clock.getAsLong();
        run.accept(images);
        return clock.getAsLong() - start;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
