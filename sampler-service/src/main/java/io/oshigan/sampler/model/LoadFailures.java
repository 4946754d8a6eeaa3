package io.oshigan.sampler.model;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last checkpoints that failed to load, with the reason, and their count as a metric. */
public final class LoadFailures {
    private static final int KEPT = 20;

    public record LoadFailure(String version, String reason, Instant at) {
    }

    private final Deque<LoadFailure> failures = new ArrayDeque<>();
    private final Counter counter;

    LoadFailures(MeterRegistry metrics) {
        this.counter = Counter.builder("oshigan.sampler.model.load.failures")
                .description("Checkpoints that could not be loaded").register(metrics);
    }

    /** The catch-up and the checkpoint's record can both try a bad checkpoint: it is one failure, not two. */
    synchronized void add(String version, String reason) {
        if (!failures.removeIf(f -> f.version().equals(version))) {
            counter.increment();
        }
        failures.addLast(new LoadFailure(version, reason, Instant.now()));
        while (failures.size() > KEPT) {
            failures.removeFirst();
        }
    }

    synchronized boolean contains(String version) {
        return failures.stream().anyMatch(f -> f.version().equals(version));
    }

    synchronized String reasonOf(String version) {
        return failures.stream().filter(f -> f.version().equals(version)).map(LoadFailure::reason)
                .reduce((first, last) -> last).orElse("unknown");
    }

    synchronized List<LoadFailure> all() {
        return new ArrayList<>(failures);
    }
}
