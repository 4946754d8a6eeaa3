package io.oshigan.support.retry;

import io.oshigan.storage.StorageException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry policy through its real interceptor (MicroProfile Fault Tolerance in a bare Quarkus application). */
@QuarkusTest
class TransientRetryTest {

    @Inject
    TransientRetry retry;

    @Test
    void transientStorageFailuresAreRetriedWithBackoffUntilTheCallSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        long started = System.nanoTime();
        String result = retry.call("flaky S3", () -> {
            if (calls.incrementAndGet() < 4) {
                throw new StorageException(StorageException.Kind.TRANSIENT, "503 Slow Down", null);
            }
            return "stored";
        });
        assertThat(result).isEqualTo("stored");
        assertThat(calls).hasValue(4);
        // delays of about 200, 400 and 800 ms (each +-100 ms jitter) lie between the four calls: a lower bound only,
        // which a slower machine can only exceed
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(900);
    }

    @Test
    void kafkaFailuresAreRetriedToo() {
        AtomicInteger calls = new AtomicInteger();
        retry.run("announce", () -> {
            if (calls.incrementAndGet() < 2) {
                throw new RuntimeException("send failed", new TimeoutException("broker not available"));
            }
        });
        assertThat(calls).hasValue(2);
    }

    @ParameterizedTest
    @EnumSource(value = StorageException.Kind.class, names = {"NOT_FOUND", "ACCESS_DENIED", "PERMANENT"})
    void storageFailuresThatCannotPassAreThrownAtOnceAsTheyAre(StorageException.Kind kind) {
        AtomicInteger calls = new AtomicInteger();
        StorageException failure = new StorageException(kind, "stat raw/x failed: " + kind, null);
        assertThatThrownBy(() -> retry.call("stat", () -> {
            calls.incrementAndGet();
            throw failure;
        })).isSameAs(failure);
        assertThat(calls).hasValue(1);
    }

    @Test
    void otherExceptionsAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("decode", () -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("not an image");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("not an image");
        assertThat(calls).hasValue(1);
    }

    @Test
    void aReadSomeoneWaitsOnIsTriedThreeTimesInAFractionOfASecondThenFailsWithItsOwnException() {
        AtomicInteger calls = new AtomicInteger();
        assertThat(retry.request("list models/", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new StorageException(StorageException.Kind.TRANSIENT, "list models/ failed: 500", null);
            }
            return "listed";
        })).isEqualTo("listed");
        assertThat(calls).hasValue(3);

        calls.set(0);
        StorageException down = new StorageException(StorageException.Kind.TRANSIENT, "get faces/x failed: refused", null);
        long started = System.nanoTime();
        assertThatThrownBy(() -> retry.request("get faces/x", () -> {
            calls.incrementAndGet();
            throw down;
        })).isSameAs(down);
        assertThat(calls).hasValue(3);
        // 50 + 150 ms between the tries: at least that long, and far below the background policy's first round
        assertThat((System.nanoTime() - started) / 1_000_000).isBetween(190L, 1_500L);

        calls.set(0);
        StorageException missing = new StorageException(StorageException.Kind.NOT_FOUND, "get faces/y failed: NoSuchKey", null);
        assertThatThrownBy(() -> retry.request("get faces/y", () -> {
            calls.incrementAndGet();
            throw missing;
        })).isSameAs(missing);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aRoundIsGivenUpAtTheNextAttemptOnceTheCallerIsStopping() {
        AtomicInteger calls = new AtomicInteger();
        long started = System.nanoTime();
        assertThatThrownBy(() -> retry.call("list the excluded crops", () -> {
            calls.incrementAndGet();
            throw new StorageException(StorageException.Kind.TRANSIENT, "connection refused", null);
        }, () -> calls.get() >= 2)).isInstanceOf(RetryCancelledException.class)
                .hasMessage("list the excluded crops given up: stopping");
        assertThat(calls).hasValue(2);
        // two delays of about 200 and 400 ms at most, not the round's two minutes
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    }
}
