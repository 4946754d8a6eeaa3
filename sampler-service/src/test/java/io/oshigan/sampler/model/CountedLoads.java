package io.oshigan.sampler.model;

import io.smallrye.faulttolerance.api.RateLimitException;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** On-demand loads counted, the ones past {@code limit} refused as the rate limit refuses them (no time window: a test's minute). */
final class CountedLoads extends OnDemandLoads {
    private final int limit;
    private final AtomicInteger used = new AtomicInteger();

    CountedLoads(int limit) {
        this.limit = limit;
    }

    @Override
    public <T> T load(Supplier<T> load, Class<T> type) {
        if (used.incrementAndGet() > limit) {
            throw new RateLimitException(60_000, "over " + limit + " on-demand loads");
        }
        return load.get();
    }
}
