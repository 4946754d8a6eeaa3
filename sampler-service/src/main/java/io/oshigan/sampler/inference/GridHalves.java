package io.oshigan.sampler.inference;

import io.oshigan.dcgan.translate.FaceImages;
import io.oshigan.sampler.config.SamplerConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PNG grids of two rows or more made as two session runs at once ({@code grid-overlap}): the request's thread
 * generates and writes the bottom half while a thread of this class does the top (or the request's thread does both
 * where none of them is free). Its own threads, not the common pool's: a run holds its thread for tens of
 * milliseconds, and the common pool is where the PNG writer splits other files.
 */
@ApplicationScoped
public class GridHalves {
    private final boolean enabled;
    private final BatchingGenerator generator;
    private final ExecutorService alongside;

    GridHalves(SamplerConfig config, BatchingGenerator generator) {
        int cores = Runtime.getRuntime().availableProcessors();
        this.enabled = config.overlapsGrids(cores);
        this.generator = generator;
        // as many other halves at once as the cores hold runs beside the requests' own (started when first needed)
        int threads = Math.max(1, BatchingGenerator.runsTheCoresHold(cores, config.threads().intraOp()) - 1);
        AtomicInteger made = new AtomicInteger();
        this.alongside = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "sampler-grid-half-" + made.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Whether a PNG grid of n faces in these columns is made in two runs at once (not a ranked one: ranking needs all). */
    public boolean splits(int n, int columns) {
        return enabled && FaceImages.splits(n, columns);
    }

    /** The grid's PNG file from n latent vectors of nz values each. */
    public byte[] png(BatchModel version, float[] latents, int nz, int n, int columns) {
        return FaceImages.png(n, columns,
                (from, to) -> generator.generateAlone(version, Arrays.copyOfRange(latents, from * nz, to * nz), to - from), alongside);
    }

    /** Halves queued meanwhile still run; a grid asked for after this makes both of its halves on its own thread. */
    void stop(@Observes ShutdownEvent event) {
        alongside.shutdown();
    }
}
