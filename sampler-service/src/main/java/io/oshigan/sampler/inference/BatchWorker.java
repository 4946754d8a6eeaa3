package io.oshigan.sampler.inference;

import io.oshigan.sampler.domain.BatchCosts;
import io.oshigan.sampler.inference.Batch.Job;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the batcher's workers: takes the next request, collects what joins it in time ({@link BatchingGenerator}
 * says how long), runs them as one session run and answers each; then notes the crowd of that version it saw.
 */
final class BatchWorker implements Runnable {
    private static final Logger LOG = Logger.getLogger(BatchWorker.class);
    private final JobQueue queue;
    private final BatchCosts costs;
    private final BatchMetrics metrics;
    /** Per version: requests in the session runs of all workers now, and the crowd its last batch saw. */
    private final Crowds crowds;
    private final int workers;
    private final long maxDelayNanos;
    /** The requests this worker holds: failed, not lost, if it is stopped while it collects them. */
    private final Batch batch;

    BatchWorker(JobQueue queue, BatchCosts costs, BatchMetrics metrics, Crowds crowds, int workers, int maxBatch,
                long maxDelayNanos) {
        this.queue = queue;
        this.costs = costs;
        this.metrics = metrics;
        this.crowds = crowds;
        this.workers = workers;
        this.maxDelayNanos = maxDelayNanos;
        this.batch = new Batch(maxBatch);
    }

    @Override
    public void run() {
        while (queue.running()) {
            try {
                batch.clear();
                Job first = queue.take();
                collect(first, crowds.share(first.version(), workers));
                BatchModel version = batch.version();
                crowds.running(version, batch.requests());
                long served;
                try {
                    served = runBatch();
                } finally {
                    crowds.running(version, -batch.requests());
                }
                // the crowd is the batch just served plus whoever of its version came while it ran (not after: a lone
                // client's next request, sent the moment it got its answer, is no crowd): behind a proxy a client that
                // missed this batch would otherwise stay one batch behind, and every batch one short. The workers
                // share the crowd (theirs in their runs now included): each expects its part of it
                crowds.saw(version, batch.requests() + crowds.inFlight(version) + queue.arrivedBefore(served, version));
            } catch (InterruptedException e) {
                batch.fail(JobQueue.stopped());
                return;
            } catch (RuntimeException | Error e) {
                // never let a worker die: every later request would wait for it forever; nor the requests it held
                batch.fail(e);
                LOG.errorf(e, "the batcher survived a failure outside a batch");
            }
        }
    }

    /**
     * {@code first} and what joins it: what is queued (one worker: all of it; several: this worker's share, the rest
     * is the others'), then, while its part of the crowd is not back, what comes in time.
     */
    private void collect(Job first, int expected) throws InterruptedException {
        batch.add(first);
        long taken = System.nanoTime();
        long deadline = first.arrived() + Math.min(maxDelayNanos, costs.waitBoundNanos());
        while (!batch.isFull() && (workers == 1 || batch.requests() < expected)) {
            // another version's request, or one with too many images, stays in line for the next free worker
            Job next = queue.poll(batch::admits, batch.requests() < expected ? deadline - System.nanoTime() : 0);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        if (batch.merges()) { // an unmerged request is held open for no one: no wait to report
            metrics.waits.record(System.nanoTime() - taken, TimeUnit.NANOSECONDS);
        }
    }

    /** Runs the batch and answers its requests; returns when the answers were handed out (System.nanoTime). */
    private long runBatch() {
        try {
            List<float[]> images = metrics.recorded(batch.version(), batch.rows(), batch::generate);
            long served = System.nanoTime();
            batch.complete(images);
            return served;
        } catch (RuntimeException | Error e) {
            // an Error too (a native library's, a stack overflow): the requests fail with it, the worker goes on
            batch.fail(e);
            return System.nanoTime();
        }
    }
}
