package io.oshigan.crop.processing;

import io.oshigan.storage.StorageException;
import io.oshigan.support.retry.TransientRetry;
import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class TransientRetryTest {

    @Inject
    TransientRetry retry;

    @Test
    void transientFailuresAreRetriedWithBackoffUntilTheCallSucceeds() {
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
        // delays of about 200, 400 and 800 ms (with jitter) lie between the four calls
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(900);
    }

    @Test
    void aMissingObjectIsAnAnswerAndNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("stat", () -> {
            calls.incrementAndGet();
            throw new StorageException(StorageException.Kind.NOT_FOUND, "NoSuchKey", null);
        })).isInstanceOf(StorageException.class);
        assertThat(calls).hasValue(1);
    }
}
