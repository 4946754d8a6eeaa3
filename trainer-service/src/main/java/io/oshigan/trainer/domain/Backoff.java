package io.oshigan.trainer.domain;

import java.time.Duration;

/** Waits that double from a first to a longest one while an outage lasts; {@link #reset()} once it is over. */
public final class Backoff {
    private final long firstMillis;
    private final long longestMillis;
    private long nextMillis;

    public Backoff(Duration first, Duration longest) {
        this.firstMillis = first.toMillis();
        this.longestMillis = longest.toMillis();
        this.nextMillis = firstMillis;
    }

    public long next() {
        long wait = nextMillis;
        nextMillis = Math.min(longestMillis, nextMillis * 2);
        return wait;
    }

    public void reset() {
        nextMillis = firstMillis;
    }
}
