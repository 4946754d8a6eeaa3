package io.oshigan.sampler.model;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.InferenceGraph;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.types.TFloat32;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded generator: the exported SavedModel of a checkpoint (z -> image, inference mode). Requests lease it, so
 * a swap closes the old model only after its last request is done: no request fails, no native memory is kept.
 */
public final class GeneratorVersion {
    private final String id;
    private final Architecture architecture;
    private final Instant loadedAt;
    private final SavedModelBundle bundle;
    private final SessionFunction function;
    /** One lease belongs to the registry until the version is retired. */
    private final AtomicInteger leases = new AtomicInteger(1);

    private GeneratorVersion(String id, Architecture architecture, SavedModelBundle bundle) {
        this.id = id;
        this.architecture = architecture;
        this.bundle = bundle;
        this.function = bundle.function(InferenceGraph.SIGNATURE_KEY);
        this.loadedAt = Instant.now();
    }

    /** Loads a SavedModel directory and runs it once, so the first request does not pay the warm-up. */
    public static GeneratorVersion load(String id, Architecture architecture, Path savedModel, SessionThreads threads) {
        SavedModelBundle bundle = SavedModelBundle.loader(savedModel.toString()).withTags(SavedModelBundle.DEFAULT_TAG)
                .withConfigProto(threads.config()).load();
        GeneratorVersion version = new GeneratorVersion(id, architecture, bundle);
        try {
            version.generate(new float[architecture.nz()], 1);
            return version;
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** n latent vectors (n x nz) to n images [n,96,96,3] in [-1, 1]. */
    public float[] generate(float[] latents, int n) {
        return generate(latents, new int[]{n}).get(0);
    }

    /**
     * One session run for several requests' latent vectors, laid end to end; each request gets its own images
     * copied straight out of the output tensor (a batch-sized Java array would be a humongous G1 allocation).
     */
    public List<float[]> generate(float[] latents, int[] counts) {
        int n = Arrays.stream(counts).sum();
        try (TFloat32 z = Tensors.of(latents, n, 1, 1, architecture.nz());
             Result result = function.call(Map.of(InferenceGraph.INPUT, z))) {
            TFloat32 images = (TFloat32) result.get(InferenceGraph.OUTPUT).orElseThrow();
            List<float[]> parts = new ArrayList<>(counts.length);
            long row = 0;
            for (int count : counts) {
                parts.add(Tensors.rows(images, row, row + count));
                row += count;
            }
            return parts;
        }
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
            bundle.close();
        }
    }

    /** Gives back the registry's lease: closed now, or when the last request releases it. */
    public void retire() {
        release();
    }

    public String id() {
        return id;
    }

    public Architecture architecture() {
        return architecture;
    }

    public Instant loadedAt() {
        return loadedAt;
    }
}
