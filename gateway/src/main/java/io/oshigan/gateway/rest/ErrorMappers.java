package io.oshigan.gateway.rest;

import io.oshigan.gateway.backend.BackendUnavailableException;
import io.oshigan.gateway.backend.Backends;
import io.oshigan.storage.StorageException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * A backend or the object store that is down is a 503 with a reason and a Retry-After, never a hang or a stack trace.
 */
public class ErrorMappers {

    /** Seconds a client waits before it tries a backend that did not answer once again. */
    static final int RETRY_UNAVAILABLE_SECONDS = 2;

    @ServerExceptionMapper
    public Response unavailable(BackendUnavailableException e) {
        return retryAfter(json(503, e.getMessage()), RETRY_UNAVAILABLE_SECONDS);
    }

    @ServerExceptionMapper
    public Response circuitOpen(CircuitBreakerOpenException e) {
        return retryAfter(json(503, "the backend failed repeatedly; the gateway stops calling it for a few seconds"),
                Backends.BREAKER_DELAY_MS / 1000);
    }

    @ServerExceptionMapper
    public Response rejected(UploadRejectedException e) {
        return json(e.status(), e.getMessage());
    }

    /** The object store's answer, as the client can act on it: a 503 to retry, a 404, or a 502 with the reason. */
    @ServerExceptionMapper
    public Response storage(StorageException e) {
        if (e.isNotFound()) {
            return json(404, e.getMessage());
        }
        Response answer = json(e.isRetryable() ? 503 : 502, "the object store did not answer as expected: " + e.getMessage());
        return e.isRetryable() ? retryAfter(answer, RETRY_UNAVAILABLE_SECONDS) : answer;
    }

    private static Response retryAfter(Response answer, int seconds) {
        return Response.fromResponse(answer).header("Retry-After", seconds).build();
    }

    static Response json(int status, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", reason)).build();
    }
}
