package io.oshigan.storage;

import io.oshigan.storage.testing.ThreeTries;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3CallsTest {
    private static final ReadRetry THREE_TRIES = ThreeTries.POLICY;

    @Test
    void failuresAreClassifiedSoThatAPolicyCanTellWhatMayPass() {
        AtomicInteger calls = new AtomicInteger();
        String answer = S3Calls.read("list models/", THREE_TRIES, () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("Unable to get size of extended attribute");
            }
            return "listed";
        });
        assertThat(answer).isEqualTo("listed");
        assertThat(calls).hasValue(3);

        calls.set(0);
        assertThatThrownBy(() -> S3Calls.read("get raw/x", THREE_TRIES, () -> {
            calls.incrementAndGet();
            throw new Exception("malformed");
        })).isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.PERMANENT));
        assertThat(calls).as("a failure that cannot pass is not repeated").hasValue(1);
    }

    @Test
    void withoutAPolicyAReadIsTriedOnceAndFailsWithTheReason() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> S3Calls.read("list models/", ReadRetry.NONE, () -> {
            calls.incrementAndGet();
            throw new IOException("connection refused");
        })).isInstanceOf(StorageException.class)
                .hasMessage("list models/ failed: connection refused")
                .satisfies(e -> assertThat(((StorageException) e).isRetryable()).isTrue());
        assertThat(calls).hasValue(1);
    }

    @Test
    void writesAreNeverRepeatedHere() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> S3Calls.run("put raw/x", () -> {
            calls.incrementAndGet();
            throw new IOException("reset");
        })).isInstanceOf(StorageException.class);
        assertThat(calls).hasValue(1);
    }
}
