package io.oshigan.sampler.inference;

import io.oshigan.sampler.inference.Batch.Job;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The requests waiting for a batch worker, in the order they came; once stopped, every request in it or put into it
 * fails at once. A worker collecting a batch takes only the requests that batch admits and leaves the others in their
 * places in line (the next free worker takes the head): another version's request (two loaded at once, an A/B test) or
 * one too big for the room left no longer ends a batch that queued requests could still join. But a batch waits for
 * mates to come only while no request it passed over waits for want of a free worker.
 */
final class JobQueue {
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled at every arrival: a worker waiting for a batch mate and one waiting for any request both look. */
    private final Condition arrival = lock.newCondition();
    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    /** Workers waiting in {@link #take}: free to serve a request a batch passed over. */
    private int idle;
    private volatile boolean running = true;

    /** Queues a request at the tail; stopped, it fails at once, as no worker will take it. */
    void add(Job job) {
        lock.lock();
        try {
            if (!running) {
                job.result().completeExceptionally(stopped());
                return;
            }
            jobs.add(job);
            arrival.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The first request in line, waiting for one. */
    Job take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            idle++;
            try {
                while (jobs.isEmpty()) {
                    arrival.await();
                }
            } finally {
                idle--;
            }
            return jobs.poll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The first request in line that {@code wanted} accepts, waiting up to {@code nanos} for one to come (not at all
     * if 0 or less, nor while a request it passed over has no free worker to take it); null if none. The requests it
     * passes over keep their places.
     */
    Job poll(Predicate<Job> wanted, long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = nanos;
            while (true) {
                boolean passedOver = false;
                for (Iterator<Job> queued = jobs.iterator(); queued.hasNext(); ) {
                    Job job = queued.next();
                    if (wanted.test(job)) {
                        queued.remove();
                        return job;
                    }
                    passedOver = true;
                }
                if (left <= 0 || passedOver && idle == 0) {
                    return null;
                }
                left = arrival.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Requests for {@code version} queued that arrived before {@code instant} (System.nanoTime). */
    int arrivedBefore(long instant, BatchModel version) {
        lock.lock();
        try {
            return (int) jobs.stream().filter(job -> job.version() == version && job.arrived() - instant < 0).count();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return jobs.size();
        } finally {
            lock.unlock();
        }
    }

    boolean running() {
        return running;
    }

    /** Fails every request not taken yet, and every one put in later. */
    void stop() {
        lock.lock();
        try {
            running = false;
            for (Job job; (job = jobs.poll()) != null; ) {
                job.result().completeExceptionally(stopped());
            }
        } finally {
            lock.unlock();
        }
    }

    static IllegalStateException stopped() {
        return new IllegalStateException("the sampler is shutting down");
    }
}
