package io.oshigan.crop.domain;

import java.util.concurrent.Semaphore;

/**
 * Pixels being decoded and searched at once, over all workers. Each image holds its pixel count from decode to the
 * last crop, so native OpenCV memory ({@value #NATIVE_BYTES_PER_PIXEL} bytes a pixel at its peak) is bounded by the
 * budget, not by the number of cores: a burst of large images waits its turn instead of running the pod out of memory.
 * An image larger than the whole budget takes all of it (the service refuses those from their header). Fair: a large
 * image is not starved by a stream of small ones.
 */
public final class PixelBudget {
    /**
     * Native bytes an image in work holds a pixel at its peak: the decoded BGR image, its grey copy, and the LBP
     * detector's scaled images and their integrals. Measured as the rise of peak RSS while the pipeline (OpenCV 4.9)
     * crops one textured PNG (bench/run.sh, NativeMemoryBenchmark): 19.9 at 36 MP, 21.5 at 16 MP, 24 at 4 MP (where
     * fixed costs weigh more); the most of them, as a budget of small images counts those costs too.
     */
    public static final int NATIVE_BYTES_PER_PIXEL = 24;
    /** What a JVM of this service holds outside its heap: classes, compiled code, thread stacks, buffers, OpenCV's code. */
    public static final long JVM_NATIVE_BYTES = 384L << 20;
    /** The least budget, whatever the memory: a 1000x1000 image. */
    public static final long MIN_PIXELS = 1_000_000;

    private final int total;
    private final Semaphore permits;

    public PixelBudget(long pixels) {
        if (pixels < 1) {
            throw new IllegalArgumentException("the pixel budget must be positive but is " + pixels);
        }
        this.total = (int) Math.min(Integer.MAX_VALUE, pixels);
        this.permits = new Semaphore(total, true);
    }

    /**
     * The pixels whose native memory fits beside a heap of {@code heap} in a process of {@code memory} bytes (a
     * container's limit), at most {@code most}, at least {@link #MIN_PIXELS}.
     */
    public static long fitting(long memory, long heap, long most) {
        long room = memory - heap - JVM_NATIVE_BYTES;
        return Math.max(MIN_PIXELS, Math.min(most, room / NATIVE_BYTES_PER_PIXEL));
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
