package io.oshigan.gateway.rest;

/** An upload refused as a whole: 413 (too large, too many files) or 415 (not an image), with the reason. */
public class UploadRejectedException extends RuntimeException {
    private final int status;

    public UploadRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
