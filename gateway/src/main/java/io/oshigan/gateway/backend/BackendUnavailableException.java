package io.oshigan.gateway.backend;

/** A backend did not answer (refused, timed out, circuit open): the request gets a 503 with this reason. */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
