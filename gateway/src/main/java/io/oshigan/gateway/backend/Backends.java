package io.oshigan.gateway.backend;

import io.oshigan.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * The two backends behind the gateway, each with its own timeout and circuit breaker (SmallRye Fault Tolerance, which
 * guards the returned Uni): after repeated failures the breaker opens and requests get a 503 at once instead of waiting.
 * The timeout is the web client's own (a Vert.x timer on the request's event loop): a fault-tolerance {@code @Timeout}
 * on top woke its timer thread for every request, a context switch per proxied call on a busy node. The guarded calls
 * are non-blocking: fault tolerance runs them on the calling event loop instead of handing them on.
 */
public final class Backends {
    /** How long an open circuit breaker refuses calls to its backend before it tries one again. */
    public static final int BREAKER_DELAY_MS = 5_000;

    private Backends() {
    }

    @ApplicationScoped
    public static class Sampler {
        private final HttpBackend backend;

        Sampler(GatewayConfig config, Vertx vertx) {
            this.backend = new HttpBackend(vertx, "the sampler", config.samplerUrl(), config.samplerTimeout());
        }

        @AsynchronousNonBlocking
        @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = BREAKER_DELAY_MS, failOn = BackendUnavailableException.class)
        public Uni<BackendResponse> send(String method, String pathAndQuery, byte[] body, String contentType) {
            return backend.send(method, pathAndQuery, body, contentType);
        }

        void close(@Observes ShutdownEvent event) {
            backend.close();
        }
    }

    @ApplicationScoped
    public static class Trainer {
        private final HttpBackend backend;

        Trainer(GatewayConfig config, Vertx vertx) {
            this.backend = new HttpBackend(vertx, "the trainer", config.trainerUrl(), config.trainerTimeout());
        }

        @AsynchronousNonBlocking
        @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = BREAKER_DELAY_MS, failOn = BackendUnavailableException.class)
        public Uni<BackendResponse> send(String method, String pathAndQuery, byte[] body, String contentType) {
            return backend.send(method, pathAndQuery, body, contentType);
        }

        void close(@Observes ShutdownEvent event) {
            backend.close();
        }
    }
}
