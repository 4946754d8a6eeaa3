package io.oshigan.crop.domain;

/** detectMultiScale's knobs, with the reference script's values as defaults. */
public record DetectionParams(double scaleFactor, int minNeighbors, int minSize, int cropSize) {
    public static final double DEFAULT_SCALE_FACTOR = 1.1;
    public static final int DEFAULT_MIN_NEIGHBORS = 5;
    public static final int DEFAULT_MIN_SIZE = 32;
    public static final int DEFAULT_CROP_SIZE = 96;

    public DetectionParams {
        if (scaleFactor <= 1.0) {
            throw new IllegalArgumentException("scale factor must be > 1 but is " + scaleFactor);
        }
        if (minNeighbors < 0 || minSize < 1 || cropSize < 8) {
            throw new IllegalArgumentException("min neighbours >= 0, min size >= 1 and crop size >= 8 are needed");
        }
    }

    public static DetectionParams reference() {
        return new DetectionParams(DEFAULT_SCALE_FACTOR, DEFAULT_MIN_NEIGHBORS, DEFAULT_MIN_SIZE, DEFAULT_CROP_SIZE);
    }
}
