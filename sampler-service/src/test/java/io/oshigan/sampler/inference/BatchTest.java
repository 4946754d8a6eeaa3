package io.oshigan.sampler.inference;

import io.oshigan.sampler.inference.Batch.Job;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** One merged session run: who may join it, and that each request gets its own images back. */
class BatchTest {
    /** A model that answers each request with its own latents plus 100, so that a mix-up shows. */
    private static final BatchModel ECHO = (latents, counts) -> {
        List<float[]> out = new ArrayList<>();
        int at = 0;
        for (int count : counts) {
            float[] images = Arrays.copyOfRange(latents, at, at + 2 * count);
            for (int i = 0; i < images.length; i++) {
                images[i] += 100;
            }
            out.add(images);
            at += 2 * count;
        }
        return out;
    };

    private static Job job(BatchModel version, float... latents) {
        return new Job(version, latents, latents.length / 2, System.nanoTime(), new CompletableFuture<>());
    }

    @Test
    void onlyRequestsForTheSameVersionThatFitJoin() {
        Batch batch = new Batch(4);
        BatchModel other = (latents, counts) -> List.of();
        assertThat(batch.admits(job(other, 0, 0))).as("the first of any version").isTrue();
        batch.add(job(ECHO, 1, 1, 2, 2, 3, 3));
        assertThat(batch.admits(job(other, 0, 0))).as("another version").isFalse();
        assertThat(batch.admits(job(ECHO, 4, 4, 5, 5))).as("5 images in a batch of 4").isFalse();
        assertThat(batch.admits(job(ECHO, 4, 4))).isTrue();
        batch.add(job(ECHO, 4, 4));
        assertThat(batch.isFull()).isTrue();
        assertThat(batch.rows()).isEqualTo(4);
        assertThat(batch.requests()).isEqualTo(2);
        batch.clear();
        assertThat(batch.admits(job(other, 0, 0))).as("after clear").isTrue();
    }

    @Test
    void eachRequestGetsItsOwnImagesAndAFailureLeavesAnsweredOnesAlone() {
        Batch batch = new Batch(64);
        Job first = job(ECHO, 1, 2);
        Job second = job(ECHO, 3, 4, 5, 6);
        Job third = job(ECHO, 7, 8);
        batch.add(first);
        batch.add(second);
        batch.add(third);
        batch.complete(batch.generate());
        assertThat(first.result().join()).containsExactly(101, 102);
        assertThat(second.result().join()).containsExactly(103, 104, 105, 106);
        assertThat(third.result().join()).containsExactly(107, 108);
        batch.fail(new IllegalStateException("late"));
        assertThat(second.result()).isCompletedWithValue(second.result().join());
    }
}
