package io.oshigan.sampler.inference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batcher without Quarkus: its one worker thread must outlive any failure of a batch. */
class BatchingGeneratorTest {

    @Test
    void anErrorInOneBatchFailsItsRequestsAndTheNextRequestIsServed() throws Exception {
        BatchingGenerator batcher = new BatchingGenerator(true, 64, 2, new SimpleMeterRegistry());
        AtomicBoolean broken = new AtomicBoolean(true);
        BatchModel model = (latents, counts) -> {
            if (broken.getAndSet(false)) {
                throw new StackOverflowError("native stack exhausted");
            }
            return Arrays.stream(counts).mapToObj(c -> new float[]{c}).toList();
        };
        try {
            CompletableFuture<float[]> failing = CompletableFuture.supplyAsync(() -> batcher.generate(model, new float[2], 1));
            assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(StackOverflowError.class);
            // the worker survived: the next request is answered (bounded here; it used to wait forever)
            CompletableFuture<float[]> next = CompletableFuture.supplyAsync(() -> batcher.generate(model, new float[2], 1));
            assertThat(next.get(10, TimeUnit.SECONDS)).containsExactly(1f);
        } finally {
            batcher.stop(null);
        }
    }
}
