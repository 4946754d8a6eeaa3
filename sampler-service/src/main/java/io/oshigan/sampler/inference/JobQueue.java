package io.oshigan.sampler.inference;

import io.oshigan.sampler.inference.Batch.Job;

import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/** The requests waiting for a batch worker; once stopped, every request in it or put into it fails at once. */
final class JobQueue {
    private final LinkedBlockingDeque<Job> queue = new LinkedBlockingDeque<>();
    private volatile boolean running = true;

    /** Queues a request, at the head where it was taken and put back; stopped meanwhile, no worker will take it. */
    void add(Job job, boolean first) {
        if (first) {
            queue.offerFirst(job);
        } else {
            queue.add(job);
        }
        if (!running && queue.remove(job)) { // stop() emptied the queue before it came
            job.result().completeExceptionally(stopped());
        }
    }

    Job take() throws InterruptedException {
        return queue.take();
    }

    /** The next request, waiting up to {@code nanos} for one (not at all if 0 or less); null if none came. */
    Job poll(long nanos) throws InterruptedException {
        return nanos > 0 ? queue.poll(nanos, TimeUnit.NANOSECONDS) : queue.poll();
    }

    /** Requests queued that arrived before {@code instant} (System.nanoTime). */
    int arrivedBefore(long instant) {
        int came = 0;
        for (Job job : queue) {
            came += job.arrived() - instant < 0 ? 1 : 0;
        }
        return came;
    }

    boolean running() {
        return running;
    }

    /** Fails every request not taken yet, and every one put in later. */
    void stop() {
        running = false;
        for (Job job; (job = queue.poll()) != null; ) {
            job.result().completeExceptionally(stopped());
        }
    }

    static IllegalStateException stopped() {
        return new IllegalStateException("the sampler is shutting down");
    }
}
