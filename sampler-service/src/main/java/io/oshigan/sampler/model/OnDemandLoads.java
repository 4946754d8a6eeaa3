package io.oshigan.sampler.model;

import io.oshigan.sampler.config.SamplerConfig;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.api.RateLimitType;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Loads that requests trigger (a version not loaded, a first ranking), over all clients: at most
 * {@code on-demand-loads-per-minute} in any minute; beyond it {@code RateLimitException} (429 with Retry-After).
 * Loads from checkpoint events are never limited.
 */
@ApplicationScoped
public class OnDemandLoads {
    private final Guard guard;

    @jakarta.inject.Inject
    public OnDemandLoads(SamplerConfig config) {
        this(config.onDemandLoadsPerMinute());
    }

    OnDemandLoads(int perMinute) {
        this.guard = Guard.create().withRateLimit().limit(Math.max(1, perMinute)).window(1, ChronoUnit.MINUTES)
                .type(RateLimitType.ROLLING).done().build();
    }

    private OnDemandLoads(Guard guard) {
        this.guard = guard;
    }

    /** No limit (tests of the registry alone, and their doubles). */
    OnDemandLoads() {
        this((Guard) null);
    }

    static OnDemandLoads unlimited() {
        return new OnDemandLoads();
    }

    public <T> T load(Supplier<T> load, Class<T> type) {
        return guard == null ? load.get() : guard.get(load, type);
    }
}
