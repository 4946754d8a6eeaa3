package io.oshigan.dcgan;

/** A checkpoint that this model cannot read: another architecture, another format, or not a checkpoint at all. */
public class IncompatibleCheckpointException extends RuntimeException {
    public IncompatibleCheckpointException(String message) {
        super(message);
    }

    public IncompatibleCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
