package io.oshigan.crop.domain;

/**
 * An upload that cannot be cropped, and never will be: retrying does not help. The message says exactly why
 * and ends up in the dead-letter record's reason header.
 */
public class ImageRejectedException extends RuntimeException {

    public enum Reason {
        EMPTY, TOO_LARGE, TOO_MANY_PIXELS, NOT_AN_IMAGE, UNSUPPORTED_FORMAT, TRUNCATED, UNDECODABLE, VANISHED,
        /** More faces than the key scheme numbers (000-999). */
        TOO_MANY_FACES,
        /** The pipeline failed on this image for a reason that will not pass (a decoder or detector error). */
        PROCESSING_FAILED;

        /** Metric tag and log value: lower-case with dashes. */
        public String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String detail) {
        super(reason.label() + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
