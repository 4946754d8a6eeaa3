package io.oshigan.sampler.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Requests one worker merges into a session run: all for one version, at most {@code maxBatch} images together. */
final class Batch {
    /** One request: its latent vectors ({@code n} of them), when it came (System.nanoTime), and where its images go. */
    record Job(BatchModel version, float[] latents, int n, long arrived, CompletableFuture<float[]> result) {
    }

    private final int maxBatch;
    private final List<Job> jobs = new ArrayList<>();
    private int rows;

    Batch(int maxBatch) {
        this.maxBatch = maxBatch;
    }

    /**
     * Whether {@code job} may join: the first, or for the same version, one that merging saves time on, with room for
     * its images.
     */
    boolean admits(Job job) {
        return jobs.isEmpty() || job.version() == version() && merges() && rows + job.n() <= maxBatch;
    }

    void add(Job job) {
        jobs.add(job);
        rows += job.n();
    }

    /** No room for more images, or a version that merging saves nothing on: its requests run one at a time. */
    boolean isFull() {
        return rows >= maxBatch || !jobs.isEmpty() && !merges();
    }

    /** Whether requests may be merged into this batch: its version is one that merging saves time on. */
    boolean merges() {
        return version().batchingSaves();
    }

    int requests() {
        return jobs.size();
    }

    int rows() {
        return rows;
    }

    BatchModel version() {
        return jobs.get(0).version();
    }

    /** One session run of the requests' latent vectors laid end to end: each request's images, in order. */
    List<float[]> generate() {
        float[] latents = new float[jobs.stream().mapToInt(job -> job.latents().length).sum()];
        int[] counts = new int[jobs.size()];
        int at = 0;
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            System.arraycopy(job.latents(), 0, latents, at, job.latents().length);
            at += job.latents().length;
            counts[i] = job.n();
        }
        return version().generate(latents, counts);
    }

    /** Answers each request with its images, in order. */
    void complete(List<float[]> images) {
        for (int i = 0; i < jobs.size(); i++) {
            jobs.get(i).result().complete(images.get(i));
        }
    }

    /** Fails every request not answered yet (answered ones keep their answer). */
    void fail(Throwable e) {
        jobs.forEach(job -> job.result().completeExceptionally(e));
    }

    void clear() {
        jobs.clear();
        rows = 0;
    }
}
