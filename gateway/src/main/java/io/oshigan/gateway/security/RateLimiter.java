package io.oshigan.gateway.security;

import io.oshigan.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client token buckets on the sample endpoints: {@code samples-per-minute} requests, refilled continuously.
 * Over the limit: 429 with Retry-After (seconds until a token is back).
 */
public class RateLimiter {
    private final double perSecond;
    private final double capacity;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

    RateLimiter(GatewayConfig config) {
        this.capacity = Math.max(1, config.samplesPerMinute());
        this.perSecond = capacity / 60.0;
    }

    @ServerRequestFilter
    public Optional<Response> limit(ContainerRequestContext request, HttpServerRequest http) {
        if (!request.getUriInfo().getPath().startsWith("/api/faces")) {
            return Optional.empty();
        }
        String client = http.remoteAddress() == null ? "unknown" : http.remoteAddress().host();
        double now = System.nanoTime() / 1e9;
        double[] bucket = buckets.computeIfAbsent(client, c -> new double[]{capacity, now});
        synchronized (bucket) {
            bucket[0] = Math.min(capacity, bucket[0] + (now - bucket[1]) * perSecond);
            bucket[1] = now;
            if (bucket[0] >= 1) {
                bucket[0] -= 1;
                return Optional.empty();
            }
            long retryAfter = (long) Math.ceil((1 - bucket[0]) / perSecond);
            return Optional.of(Response.status(429).type(MediaType.APPLICATION_JSON)
                    .header("Retry-After", retryAfter)
                    .entity(Map.of("error", "too many sample requests: the limit is " + (int) capacity
                            + " a minute per client; retry in " + retryAfter + " s"))
                    .build());
        }
    }
}
