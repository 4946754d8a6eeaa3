package io.oshigan.crop.domain;

/** What the service refuses before decoding, so that no upload can exhaust its memory. */
public record ImageLimits(long maxBytes, long maxPixels) {
    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS);
    }
}
