package io.oshigan.crop.domain;

/** What the service refuses before decoding, so that no upload can exhaust its memory. */
public record ImageLimits(long maxBytes, long maxPixels) {
    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** Heap bytes a GIF's pixel holds while decoded: its frame's index (1) and the BGR copy OpenCV takes (3). */
    static final int GIF_HEAP_BYTES_PER_PIXEL = 4;

    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS);
    }

    /**
     * The most heap one image in work can hold: its bytes as read (a read's buffers and the result: twice) and, for a
     * GIF (decoded on the heap; other formats are decoded natively, within the pixel budget), its pixels.
     */
    public long heapPerImage() {
        return 2 * maxBytes + GIF_HEAP_BYTES_PER_PIXEL * maxPixels;
    }

    /**
     * Images to work on at once: one a core, as many as three quarters of {@code heap} hold at {@link #heapPerImage()}
     * each (a quarter stays for the service: Kafka, HTTP, S3 buffers), at least one. In a container with a CPU request and
     * no limit the JVM counts the node's cores, which the heap does not follow.
     */
    public int workers(int cores, long heap) {
        return (int) Math.max(1, Math.min(cores, (heap - heap / 4) / heapPerImage()));
    }
}
