package io.oshigan.sampler.inference;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.oshigan.sampler.config.SamplerConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Dynamic batching, as TensorFlow Serving and Triton do it: requests for the same version that arrive within
 * {@code max-delay-ms} of each other are merged into one session run of up to {@code max-batch} images. The wait is
 * adaptive: only while fewer requests have come than the last batch served plus those that queued while it ran.
 * Inference mode makes every image independent of its batch mates.
 */
@ApplicationScoped
public class BatchingGenerator {
    private record Job(BatchModel version, float[] latents, int n, CompletableFuture<float[]> result) {
    }

    private final boolean enabled;
    private final int maxBatch;
    private final long maxDelayNanos;
    private static final Logger LOG = Logger.getLogger(BatchingGenerator.class);
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final DistributionSummary batchSizes;
    private final Timer runTime;
    private final Thread worker;
    private volatile boolean running = true;
    private Job carried;

    @jakarta.inject.Inject
    BatchingGenerator(SamplerConfig config, MeterRegistry metrics) {
        this(config.batching().enabled(), config.batching().maxBatch(), config.batching().maxDelayMs(), metrics);
    }

    BatchingGenerator(boolean enabled, int maxBatch, int maxDelayMs, MeterRegistry metrics) {
        this.enabled = enabled;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        this.batchSizes = DistributionSummary.builder("oshigan.sampler.batch.size")
                .description("Images per session run").publishPercentileHistogram().register(metrics);
        this.runTime = Timer.builder("oshigan.sampler.generate").description("Time of one session run")
                .publishPercentileHistogram().register(metrics);
        this.worker = new Thread(this::work, "sampler-batcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public float[] generate(BatchModel version, float[] latents, int n) {
        if (!enabled || n >= maxBatch) {
            return run(version, latents, n);
        }
        CompletableFuture<float[]> result = new CompletableFuture<>();
        queue.add(new Job(version, latents, n, result));
        try {
            return result.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        worker.interrupt();
    }

    private float[] run(BatchModel version, float[] latents, int n) {
        batchSizes.record(n);
        return runTime.record(() -> version.generate(latents, n));
    }

    private void work() {
        int expected = 1;
        while (running) {
            try {
                Job first = carried != null ? carried : queue.take();
                carried = null;
                List<Job> batch = collect(first, expected);
                runBatch(batch, batch.stream().mapToInt(Job::n).sum());
                // the crowd is the batch just served plus whoever came while it ran: behind a proxy a client that
                // missed this batch would otherwise stay one batch behind, and every batch one short
                expected = batch.size() + queue.size() + (carried == null ? 0 : 1);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                // never let the one worker die: every later request would wait for it forever
                LOG.errorf(e, "the batcher survived a failure outside a batch");
            }
        }
    }

    /**
     * The jobs to run with {@code first}: everything already queued, and while fewer than {@code expected} (the last
     * batch and those that queued during its run) have come, whatever arrives within the max delay. A lone client never
     * waits; under load the batch fills as soon as the usual crowd is back.
     */
    private List<Job> collect(Job first, int expected) throws InterruptedException {
        List<Job> batch = new ArrayList<>(List.of(first));
        int rows = first.n();
        long deadline = System.nanoTime() + maxDelayNanos;
        while (rows < maxBatch) {
            long wait = batch.size() < expected ? deadline - System.nanoTime() : 0;
            Job next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            if (next.version() != first.version() || rows + next.n() > maxBatch) {
                carried = next;
                break;
            }
            batch.add(next);
            rows += next.n();
        }
        return batch;
    }

    private void runBatch(List<Job> batch, int rows) {
        float[] latents = new float[batch.stream().mapToInt(job -> job.latents().length).sum()];
        int[] counts = new int[batch.size()];
        int at = 0;
        for (int i = 0; i < batch.size(); i++) {
            Job job = batch.get(i);
            System.arraycopy(job.latents(), 0, latents, at, job.latents().length);
            at += job.latents().length;
            counts[i] = job.n();
        }
        try {
            batchSizes.record(rows);
            List<float[]> images = runTime.record(() -> batch.get(0).version().generate(latents, counts));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(images.get(i));
            }
        } catch (RuntimeException | Error e) {
            // an Error too (a native library's, a stack overflow): the requests fail with it, the worker goes on
            batch.forEach(job -> job.result().completeExceptionally(e));
        }
    }
}
