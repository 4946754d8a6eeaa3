package io.oshigan.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.oshigan.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Per-client token buckets over all of /api: {@code samples-per-minute} tokens a minute, refilled continuously. A
 * request costs what it makes the sampler generate: a face 1, a grid n, ranked grids n x rank, an interpolation its
 * steps; the grids' animation its frames; every other call 1. Over the limit: 429 with Retry-After. The client is the TCP peer, or, behind a proxy
 * listed in {@code trusted-proxies}, the address it forwards ({@link ClientAddress}). Buckets live in a bounded cache and
 * expire after 10 idle minutes, so a stream of new addresses cannot grow the gateway's memory.
 */
public class RateLimiter {
    private static final int MAX_CLIENTS = 100_000;
    /** The sampler's defaults, for requests that leave n or steps out. */
    private static final int GRID_DEFAULT = 16;
    private static final int INTERPOLATION_DEFAULT = 8;
    /** The sampler's max-images: a latents request may ask for that many. */
    private static final int LATENTS_MAX = 64;
    private final double perSecond;
    private final double capacity;
    private final Cache<String, double[]> buckets = Caffeine.newBuilder().maximumSize(MAX_CLIENTS)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    private final ClientAddress clients;

    RateLimiter(GatewayConfig config) {
        this.clients = new ClientAddress(config.trustedProxies());
        this.capacity = Math.max(1, config.samplesPerMinute());
        this.perSecond = capacity / 60.0;
    }

    @ServerRequestFilter
    public Optional<Response> limit(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return Optional.empty();
        }
        double cost = Math.min(capacity, cost(path, request.getUriInfo().getQueryParameters()));
        String client = clients.of(http.remoteAddress() == null ? "unknown" : http.remoteAddress().host(),
                http.getHeader("X-Forwarded-For"));
        double now = System.nanoTime() / 1e9;
        double[] bucket = buckets.get(client, c -> new double[]{capacity, now});
        synchronized (bucket) {
            bucket[0] = Math.min(capacity, bucket[0] + (now - bucket[1]) * perSecond);
            bucket[1] = now;
            if (bucket[0] >= cost) {
                bucket[0] -= cost;
                return Optional.empty();
            }
            long retryAfter = Math.max(1, (long) Math.ceil((cost - bucket[0]) / perSecond));
            return Optional.of(Response.status(429).type(MediaType.APPLICATION_JSON)
                    .header("Retry-After", retryAfter)
                    .entity(Map.of("error", "too many requests: this one costs " + (long) cost + " of the "
                            + (int) capacity + " images a minute per client; retry in " + retryAfter + " s"))
                    .build());
        }
    }

    private static final int PAGE_DEFAULT = 12;

    /**
     * Images the request makes the sampler generate, or objects a page of the data set reads; parameters the
     * services would refuse cost 1 (they answer 400).
     */
    static double cost(String rawPath, MultivaluedMap<String, String> query) {
        // as the router matches it: without matrix parameters or a trailing slash, which reach the same resource
        String path = rawPath.replaceAll(";[^/]*", "").replaceAll("/+$", "");
        if (path.equals("/api/faces/latents")) {
            return LATENTS_MAX; // the body's vectors are not counted here: the most the sampler makes for one request
        }
        if (path.equals("/api/dataset/uploads") || path.equals("/api/dataset/crops")) {
            return number(query.getFirst("size"), PAGE_DEFAULT); // a page reads as many objects as it lists
        }
        if (path.startsWith("/api/grids/") && path.endsWith("/animation.gif")) {
            return io.oshigan.gateway.storage.Grids.MAX_FRAMES; // the grids it may decode and encode
        }
        if (!path.startsWith("/api/faces/")) {
            return 1;
        }
        int rank = number(query.getFirst("rank"), 1);
        if (path.equals("/api/faces/grid")) {
            return (double) number(query.getFirst("n"), GRID_DEFAULT) * rank;
        }
        if (path.equals("/api/faces/interpolate")) {
            return number(query.getFirst("steps"), INTERPOLATION_DEFAULT);
        }
        return rank;
    }

    private static int number(String value, int fallback) {
        try {
            return value == null ? fallback : Math.max(1, Math.min(4096, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
