package io.oshigan.support.retry;

import io.oshigan.storage.StorageException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Waiting an outage out over several rounds of retries, through the real interceptor, with rounds of one second. */
@QuarkusTest
@TestProfile(TransientRetryRoundsTest.ShortRounds.class)
class TransientRetryRoundsTest {

    public static class ShortRounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("io.oshigan.support.retry.TransientRetry/call/Retry/maxDuration", "1000",
                    "io.oshigan.support.retry.TransientRetry/call/ExponentialBackoff/maxDelay", "400");
        }
    }

    @Inject
    TransientRetry retry;

    /** S3 away for longer than a round: a round ends (the run used to fail there), the next ones wait on, then it works. */
    @Test
    void anOutageLongerThanARoundIsWaitedOut() {
        long until = System.nanoTime() + 2_500_000_000L;
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("resume", () -> {
            throw new StorageException(StorageException.Kind.TRANSIENT, "connection refused", null);
        })).as("one round alone gives up").isInstanceOf(TransientFailureException.class);

        String resumed = retry.untilDone("resume", () -> {
            calls.incrementAndGet();
            if (System.nanoTime() < until) {
                throw new StorageException(StorageException.Kind.TRANSIENT, "connection refused", null);
            }
            return "resumed";
        }, () -> false);
        assertThat(resumed).isEqualTo("resumed");
        assertThat(calls.get()).isGreaterThan(3);
    }

    @Test
    void waitingEndsWhenCancelledAndAtOnceOnAFailureThatCannotPass() {
        AtomicBoolean stopping = new AtomicBoolean();
        assertThatThrownBy(() -> retry.untilDone("resume", () -> {
            stopping.set(true); // the service stops while S3 is away
            throw new StorageException(StorageException.Kind.TRANSIENT, "connection refused", null);
        }, stopping::get)).isInstanceOf(RetryCancelledException.class);

        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.untilDone("resume", () -> {
            calls.incrementAndGet();
            throw new StorageException(StorageException.Kind.ACCESS_DENIED, "access denied", null);
        }, () -> false)).isInstanceOf(StorageException.class);
        assertThat(calls).hasValue(1);
    }
}
