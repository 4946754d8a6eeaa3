package io.oshigan.trainer.messaging;

import io.oshigan.contracts.FaceCropped;
import io.oshigan.storage.StorageException;
import io.oshigan.support.retry.TransientFailureException;
import io.oshigan.support.retry.TransientRetry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The consumer's own rule, without Quarkus: S3 being away outlasts any round of retries, but never dead-letters a face. */
class FaceEventsConsumerTest {
    private static final byte[] FACE = FaceCropped.CODEC.encode(new FaceCropped(FaceCropped.SCHEMA_VERSION, "raw", "a.png",
            "e", 0, new FaceCropped.Box(0, 0, 96, 96), "crops/x/000.png", "0".repeat(64), Instant.now()));

    /** A retry whose rounds end in failure a given number of times, as the real one does after 2 minutes of outage. */
    static final class Rounds extends TransientRetry {
        final AtomicInteger rounds = new AtomicInteger();
        private final int failing;
        private final RuntimeException otherwise;

        Rounds(int failing, RuntimeException otherwise) {
            this.failing = failing;
            this.otherwise = otherwise;
        }

        @Override
        public <T> T call(String what, Supplier<T> action) {
            if (rounds.incrementAndGet() <= failing) {
                throw new TransientFailureException(what, new StorageException(StorageException.Kind.TRANSIENT, "connection refused", null));
            }
            if (otherwise != null) {
                throw otherwise;
            }
            return null;
        }
    }

    @Test
    void roundsOfTransientFailureAreWaitedOutNotDeadLettered() {
        Rounds retry = new Rounds(3, null);
        new FaceEventsConsumer(null, retry).onFace(FACE);
        assertThat(retry.rounds).hasValue(4);
    }

    @Test
    void aFailureThatWillNotPassStillReachesTheDeadLetterQueue() {
        StorageException missing = new StorageException(StorageException.Kind.NOT_FOUND, "NoSuchKey", null);
        Rounds retry = new Rounds(1, missing);
        assertThatThrownBy(() -> new FaceEventsConsumer(null, retry).onFace(FACE)).isSameAs(missing);
        assertThat(retry.rounds).hasValue(2);
    }
}
