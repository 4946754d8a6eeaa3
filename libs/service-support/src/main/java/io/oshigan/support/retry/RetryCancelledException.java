package io.oshigan.support.retry;

/** A retried call given up because its caller is stopping (a shutdown): not a failure of the call. */
public class RetryCancelledException extends RuntimeException {
    public RetryCancelledException(String what) {
        super(what + " given up: stopping");
    }
}
