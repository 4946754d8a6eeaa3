package io.oshigan.sampler.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.oshigan.sampler.config.SamplerConfig;
import io.oshigan.sampler.domain.BatchCosts;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Dynamic batching, as TensorFlow Serving and Triton do it, with the wait measured instead of tuned: requests for the
 * same version are merged into one session run of up to {@code max-batch} images. A worker ({@link BatchWorker}) takes
 * what is queued and waits for more only while fewer have come than its share of the crowd that version's last batch
 * saw (that batch plus the version's requests in other runs and those that queued during its run: {@link Crowds}), and never longer after the first request came than the measured fixed cost of a
 * run, nor than one image's share of the recent runs ({@link BatchCosts#waitBoundNanos}; {@code max-delay-ms} caps
 * it): a request that joins within that time saves a run, one that would come later costs less in a run of its own.
 * A lone client never waits. As many workers run at once as the cores hold session runs of the configured intra-op
 * threads, at least two on two cores or more ({@link #workersFor}; {@code batching.workers} overrides), so batching
 * never leaves a core idle that concurrent unbatched runs would use. A request that does not fit a batch (another
 * version's, too many images) keeps its place in line, and the batch goes on collecting the requests queued behind it,
 * but waits for more no longer while such a request has no free worker ({@link JobQueue#poll}). Inference mode makes every image independent of its
 * batch mates.
 * <p>
 * Where a version's measure says a batched image saves nothing ({@link BatchModel#batchingSaves}: a run's time is all
 * images) its requests are not merged, but still go through the queue: each worker runs one of them at a time, in the
 * order they came. Run on their own threads, as with batching off, as many share the cores as requests come and the
 * runtime's thread pool serves them in no order: measured at 8 clients with bf16 emulated (oneDNN off), the p99 was
 * twice the mean.
 */
@ApplicationScoped
@Startup // a wrong worker count fails the start, not every request after it
public class BatchingGenerator {
    private final boolean enabled;
    private final int maxBatch;
    private final JobQueue queue = new JobQueue();
    private final BatchCosts costs = new BatchCosts();
    private final List<Thread> workers = new ArrayList<>();
    private final BatchMetrics metrics;

    @jakarta.inject.Inject
    BatchingGenerator(SamplerConfig config, MeterRegistry metrics) {
        this(config.batching().enabled(), config.batching().maxBatch(), config.batching().maxDelayMs(),
                config.batching().workers().orElse(workersFor(Runtime.getRuntime().availableProcessors(), config.threads().intraOp())),
                metrics);
    }

    BatchingGenerator(boolean enabled, int maxBatch, int maxDelayMs, int workerCount, MeterRegistry metrics) {
        if (enabled && workerCount < 1) { // no worker would ever answer
            throw new IllegalArgumentException("oshigan.sampler.batching.workers must be at least 1 but is " + workerCount);
        }
        this.enabled = enabled;
        this.maxBatch = maxBatch;
        long maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        this.metrics = new BatchMetrics(metrics, costs, workers);
        Crowds crowds = new Crowds(); // per version: requests in the session runs of all workers now, its last crowd
        for (int i = 0; enabled && i < workerCount; i++) {
            Thread worker = new Thread(new BatchWorker(queue, costs, this.metrics, crowds, workerCount, maxBatch, maxDelayNanos),
                    "sampler-batcher-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    /**
     * Session runs at once: as many as the cores hold runs of the intra-op threads, and two wherever there are two
     * cores even when a run is given all of them (intra-op 0 or >= cores): a run keeps its threads busy only part of
     * the time (ops that do not split, each op's join), and a second run fills those gaps. Measured at intra-op 2 on
     * 2 cores, 16 clients: two workers served 4-6% more than one with oneDNN, 38-51% more without it (where one
     * worker was below no batching at all); the p99 at 8 clients lower in every round at bf16 and with oneDNN off,
     * within about 5 ms either way at intra-op 2, oneDNN, fp32.
     */
    public static int workersFor(int cores, int intraOpThreads) {
        return Math.max(Math.min(2, cores), runsTheCoresHold(cores, intraOpThreads));
    }

    /** Session runs of {@code intraOpThreads} threads the cores hold side by side (intra-op 0: a run takes them all). */
    static int runsTheCoresHold(int cores, int intraOpThreads) {
        return intraOpThreads <= 0 ? 1 : Math.max(1, cores / intraOpThreads);
    }

    public float[] generate(BatchModel version, float[] latents, int n) {
        if (!enabled || n >= maxBatch) {
            return run(version, latents, n);
        }
        if (!version.batchingSaves()) {
            metrics.alone.increment(); // through the queue all the same: one at a time per worker, in arrival order
        }
        CompletableFuture<float[]> result = new CompletableFuture<>();
        Batch.Job job = new Batch.Job(version, latents, n, System.nanoTime(), result);
        queue.add(job);
        try {
            return result.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * A session run of its own, never queued nor merged: for parts big enough that a batch saves nothing on them (a
     * grid's halves; through the queue they waited for a worker, measured 4-11 ms slower a grid).
     */
    public float[] generateAlone(BatchModel version, float[] latents, int n) {
        return run(version, latents, n);
    }

    /** Stops the workers; every request not served yet fails at once instead of waiting for them forever. */
    void stop(@Observes ShutdownEvent event) {
        queue.stop();
        workers.forEach(Thread::interrupt);
    }

    BatchCosts costs() {
        return costs;
    }

    /** Requests waiting for a worker now. */
    int queued() {
        return queue.size();
    }

    /** A run on the caller's thread: batching off, a request of max-batch images or more, a grid's half. */
    private float[] run(BatchModel version, float[] latents, int n) {
        return metrics.recorded(version, n, () -> version.generate(latents, n));
    }
}
