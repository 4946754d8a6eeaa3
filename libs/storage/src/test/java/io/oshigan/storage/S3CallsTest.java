package io.oshigan.storage;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3CallsTest {
    @Test
    void aReadThatFailsForAMomentIsTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        String answer = S3Calls.read("list models/", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("Unable to get size of extended attribute");
            }
            return "listed";
        });
        assertThat(answer).isEqualTo("listed");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aReadThatKeepsFailingGivesUpAfterThreeAttemptsWithTheReason() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> S3Calls.read("list models/", () -> {
            calls.incrementAndGet();
            throw new IOException("connection refused");
        })).isInstanceOf(StorageException.class)
                .hasMessage("list models/ failed: connection refused")
                .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.TRANSIENT));
        assertThat(calls).hasValue(S3Calls.READ_ATTEMPTS);
    }

    @Test
    void failuresThatCannotPassAndWritesAreNotRepeated() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> S3Calls.read("get raw/x", () -> {
            calls.incrementAndGet();
            throw new Exception("malformed");
        })).isInstanceOf(StorageException.class);
        assertThat(calls).hasValue(1);

        calls.set(0);
        assertThatThrownBy(() -> S3Calls.run("put raw/x", () -> {
            calls.incrementAndGet();
            throw new IOException("reset");
        })).isInstanceOf(StorageException.class);
        assertThat(calls).hasValue(1);
    }
}
