package io.oshigan.support.retry;

/** S3 or Kafka did not answer as it should; the same call may well succeed later. */
public class TransientFailureException extends RuntimeException {
    public TransientFailureException(String what, Throwable cause) {
        super(what + " failed: " + cause.getMessage(), cause);
    }
}
