package io.oshigan.sampler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The sampler's configuration (env OSHIGAN_SAMPLER_...). */
@ConfigMapping(prefix = "oshigan.sampler")
public interface SamplerConfig {
    /** Follow this run; unset: the run whose latest checkpoint is newest, and any run that publishes. */
    Optional<String> run();

    /** Serve exactly this version ("run@step") and never swap. */
    Optional<String> pin();

    /** Versions kept loaded for requests that pin one. */
    @WithDefault("3")
    int maxLoaded();

    /**
     * Loads a minute, over all clients, of versions that requests name and that are not loaded yet (?version=, and
     * the discriminator for rank=): each downloads and builds a graph. Beyond it: 429 with Retry-After.
     */
    @WithDefault("20")
    int onDemandLoadsPerMinute();

    /** Most images in one grid or latent request. */
    @WithDefault("64")
    int maxImages();

    @WithDefault("${java.io.tmpdir}/oshigan-sampler")
    String workDir();

    /**
     * The most a PyTorch import may have, and may unpack to (entries together); the tensors built from it hold at most
     * as much again. A reference generator (nz 100, ngf 64) has about 14 MB.
     */
    @WithDefault("64M")
    io.quarkus.runtime.configuration.MemorySize importMaxSize();

    /** How often the models bucket is checked for a newer checkpoint than the served one (missed records); 0 = never. */
    @WithDefault("30s")
    Duration catchUpEvery();

    Batching batching();

    /**
     * Generate a PNG grid of two rows or more as two session runs at once, each half's part of the file written by the
     * thread that generated it. Unset: where a run leaves a core free ({@code threads.intra-op} set and below the
     * cores the JVM sees; in a pod without a CPU limit that is the node's, so set it there).
     */
    Optional<Boolean> gridOverlap();

    /** {@link #gridOverlap()}, or where unset, {@link #overlapsGridsByDefault}. */
    default boolean overlapsGrids(int cores) {
        return gridOverlap().orElse(overlapsGridsByDefault(threads().intraOp(), cores));
    }

    /**
     * Whether a session run of {@code intraOp} threads leaves a core free. Measured on 2 cores, a 64-face grid with
     * its PNG in-process: at intra-op 1 two halves at once took 54 ms (fp32) and 32 ms (bf16) against 85 and 48 ms
     * for one half after the other; at intra-op 2 the same as one run of 64 (51 vs 51 ms fp32, 33 vs 31-35 ms bf16).
     */
    static boolean overlapsGridsByDefault(int intraOp, int cores) {
        return intraOp > 0 && intraOp < cores;
    }

    /**
     * What the generator computes in: {@code fp32}, or {@code bf16} (mixed precision: the convolutions in bfloat16,
     * faster where the CPU or GPU has bfloat16 units; images differ from fp32's by a few levels, see libs/dcgan).
     */
    @WithDefault("fp32")
    io.oshigan.dcgan.Precision precision();

    /**
     * TensorFlow's thread pools for inference; 0 means one per core the JVM sees. In a container set them to the
     * CPU limit: TensorFlow counts the node's cores, not the pod's share.
     */
    Threads threads();

    interface Threads {
        @WithDefault("0")
        int intraOp();

        @WithDefault("0")
        int interOp();
    }

    interface Batching {
        @WithDefault("true")
        boolean enabled();

        /** Most images in one merged session run. */
        @WithDefault("64")
        int maxBatch();

        /** Cap on how long a batch waits for more requests; the wait itself is the measured fixed cost of a run. */
        @WithDefault("10")
        int maxDelayMs();

        /**
         * Batches formed and run at once; unset: as many as the cores hold runs of {@code threads.intra-op} threads, at
         * least 2 on 2 cores or more (set it in a pod without a CPU limit: the JVM counts the node's cores).
         */
        Optional<Integer> workers();

        /**
         * Measure at load what a batch saves on each version, and run a version's requests unmerged (one at a time
         * per worker) where it saves nothing (bf16 emulated without oneDNN); false: always batch.
         */
        @WithDefault("true")
        boolean measure();
    }
}
