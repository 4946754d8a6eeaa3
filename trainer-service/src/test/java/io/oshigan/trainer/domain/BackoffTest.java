package io.oshigan.trainer.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void waitsDoubleUpToTheLongestAndStartOverAfterAReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3));

        assertThat(new long[]{backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()})
                .containsExactly(500, 1000, 2000, 3000, 3000);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(500);
    }
}
