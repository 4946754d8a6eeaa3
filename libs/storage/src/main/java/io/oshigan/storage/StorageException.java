package io.oshigan.storage;

/** An S3 call failed. {@link #kind()} tells a caller whether retrying can help. */
public class StorageException extends RuntimeException {
    public enum Kind {
        /** The bucket or object does not exist. */
        NOT_FOUND,
        /** Credentials or signature refused. Retrying will not help. */
        ACCESS_DENIED,
        /** Network trouble or a server-side error. Retrying with backoff may help. */
        TRANSIENT,
        /** A condition of the request (e.g. If-Match: the object's eTag) does not hold: the object changed. */
        PRECONDITION_FAILED,
        /** The request itself is wrong. */
        PERMANENT
    }

    private final Kind kind;

    public StorageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isNotFound() {
        return kind == Kind.NOT_FOUND;
    }

    public boolean isPreconditionFailed() {
        return kind == Kind.PRECONDITION_FAILED;
    }

    public boolean isRetryable() {
        return kind == Kind.TRANSIENT;
    }
}
