package io.oshigan.crop.domain;

/**
 * OpenCV could not allocate native memory for this image. Other images in flight hold it, so the same bytes may well
 * succeed later: the caller retries instead of rejecting the upload.
 */
public class NativeMemoryExhaustedException extends RuntimeException {
    public NativeMemoryExhaustedException(RuntimeException cause) {
        super("OpenCV ran out of native memory: " + OpenCv.firstLine(cause), cause);
    }
}
