package io.oshigan.gateway.backend;

import io.oshigan.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.time.Duration;

/**
 * The two backends behind the gateway, each with its own timeout and circuit breaker (SmallRye Fault Tolerance):
 * after repeated failures the breaker opens and requests get a 503 at once instead of waiting.
 */
public final class Backends {
    private Backends() {
    }

    @ApplicationScoped
    public static class Sampler {
        private final HttpBackend backend;

        Sampler(GatewayConfig config) {
            this.backend = new HttpBackend("the sampler", config.samplerUrl(), Duration.ofSeconds(15));
        }

        @Timeout(20_000)
        @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 5_000, failOn = BackendUnavailableException.class)
        public BackendResponse send(String method, String pathAndQuery, byte[] body, String contentType) {
            return backend.send(method, pathAndQuery, body, contentType);
        }
    }

    @ApplicationScoped
    public static class Trainer {
        private final HttpBackend backend;

        Trainer(GatewayConfig config) {
            this.backend = new HttpBackend("the trainer", config.trainerUrl(), Duration.ofSeconds(5));
        }

        @Timeout(8_000)
        @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 5_000, failOn = BackendUnavailableException.class)
        public BackendResponse send(String method, String pathAndQuery, byte[] body, String contentType) {
            return backend.send(method, pathAndQuery, body, contentType);
        }
    }
}
