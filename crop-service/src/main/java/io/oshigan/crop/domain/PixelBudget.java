package io.oshigan.crop.domain;

import java.util.concurrent.Semaphore;

/**
 * Pixels being decoded and searched at once, over all workers. Each image holds its pixel count from decode to the
 * last crop, so native OpenCV memory (about 10 bytes a pixel: the BGR image, its grey copy, the detector's pyramid)
 * is bounded by the budget, not by the number of cores: a burst of large images waits its turn instead of running
 * the pod out of memory. An image larger than the whole budget takes all of it. Fair: a large image is not starved
 * by a stream of small ones.
 */
public final class PixelBudget {
    private final int total;
    private final Semaphore permits;

    public PixelBudget(long pixels) {
        if (pixels < 1) {
            throw new IllegalArgumentException("the pixel budget must be positive but is " + pixels);
        }
        this.total = (int) Math.min(Integer.MAX_VALUE, pixels);
        this.permits = new Semaphore(total, true);
    }

    public static PixelBudget unlimited() {
        return new PixelBudget(Integer.MAX_VALUE);
    }

    /** Waits until the image's pixels fit; close the lease when its memory is released. */
    public Lease acquire(long pixels) {
        int n = (int) Math.max(1, Math.min(pixels, total));
        permits.acquireUninterruptibly(n);
        return () -> permits.release(n);
    }

    public boolean hasWaiting() {
        return permits.hasQueuedThreads();
    }

    public int available() {
        return permits.availablePermits();
    }

    /** A held share of the budget. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }
}
