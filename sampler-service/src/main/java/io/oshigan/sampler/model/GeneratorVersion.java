package io.oshigan.sampler.model;

import io.oshigan.dcgan.Architecture;
import io.oshigan.storage.VersionId;
import io.oshigan.dcgan.ServingGraph;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import io.oshigan.sampler.domain.BatchGain;
import org.tensorflow.types.TFloat32;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.oshigan.dcgan.Bf16Check.Scope.SERVING;

/**
 * One loaded generator: the weights of a checkpoint's exported SavedModel (z -> image, inference mode), served by a
 * {@link ServingGraph} built from them. Requests lease it, so a swap closes the old model only after its last request
 * is done: no request fails, no native memory is kept.
 */
public final class GeneratorVersion implements io.oshigan.sampler.inference.BatchModel {
    private final VersionId id;
    private final Architecture architecture;
    private final Instant loadedAt;
    private final ServingGraph graph;
    /** One lease belongs to the registry until the version is retired. */
    private final AtomicInteger leases = new AtomicInteger(1);
    /** Closed with the graph, when the last lease is released: what requests use beside it (the D scorer). */
    private final java.util.List<AutoCloseable> companions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final BatchGain batchGain;

    private GeneratorVersion(VersionId id, Architecture architecture, ServingGraph graph, BatchGain batchGain) {
        this.id = id;
        this.architecture = architecture;
        this.graph = graph;
        this.batchGain = batchGain;
        this.loadedAt = Instant.now();
    }

    /**
     * Reads the weights of a SavedModel directory, builds the serving graph and runs it, so the first request does
     * not pay the warm-up; with {@code measureBatching}, measures what a batch saves on it ({@link BatchGain}: runs of
     * 1 and 8 images; a run of 8 that fails fails the load, as batches would fail). A variable that is missing or of
     * another size fails the load.
     */
    public static GeneratorVersion load(VersionId id, Architecture architecture, Path savedModel, SessionThreads threads,
                                        io.oshigan.dcgan.Precision precision, boolean measureBatching) {
        ServingGraph graph = ServingGraph.load(savedModel, architecture, threads, precision);
        io.oshigan.dcgan.Bf16Check.fallback(precision, architecture, threads, SERVING).ifPresent(line ->
                org.jboss.logging.Logger.getLogger(GeneratorVersion.class).warnf("version %s: %s", id, line));
        try {
            generate(graph, architecture, new float[architecture.nz()], new int[]{1});
            BatchGain gain = measureBatching
                    ? BatchGain.measure(n -> generate(graph, architecture, new float[n * architecture.nz()], new int[]{n}))
                    : BatchGain.UNMEASURED;
            return new GeneratorVersion(id, architecture, graph, gain);
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
    }

    /** One session run for several requests' latent vectors, laid end to end; each request gets its own images. */
    @Override
    public List<float[]> generate(float[] latents, int[] counts) {
        return generate(graph, architecture, latents, counts);
    }

    private static List<float[]> generate(ServingGraph graph, Architecture architecture, float[] latents, int[] counts) {
        int n = Arrays.stream(counts).sum();
        try (TFloat32 z = Tensors.of(latents, n, 1, 1, architecture.nz())) {
            return graph.generate(z, counts);
        }
    }

    @Override
    public boolean batchingSaves() {
        return batchGain.saves();
    }

    /** What a batch saves on this version, measured at load ({@link BatchGain#UNMEASURED} where not asked to). */
    public BatchGain batchGain() {
        return batchGain;
    }

    /** @return false if the version is already closed */
    public boolean acquire() {
        while (true) {
            int current = leases.get();
            if (current <= 0) {
                return false;
            }
            if (leases.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void release() {
        if (leases.decrementAndGet() == 0) {
            graph.close();
            for (AutoCloseable companion : companions) {
                try {
                    companion.close();
                } catch (Exception e) {
                    // closing native sessions: nothing left to do with a failure
                }
            }
        }
    }

    /** Closes {@code companion} together with this version, once no request holds it any more (call it while holding a lease). */
    public void closeWith(AutoCloseable companion) {
        companions.add(companion);
    }

    /** Gives back the registry's lease: closed now, or when the last request releases it. */
    public void retire() {
        release();
    }

    public VersionId versionId() {
        return id;
    }

    /** {@code run@step}, as APIs, headers and metrics write it. */
    public String id() {
        return id.toString();
    }

    public Architecture architecture() {
        return architecture;
    }

    public Instant loadedAt() {
        return loadedAt;
    }
}
