package io.oshigan.sampler.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BatchGainTest {
    private static final long MS = 1_000_000;

    @Test
    void aBatchedImageSavesTheFixedPartOfALoneRun() {
        // 2 ms fixed, 1 ms an image: a lone run 3 ms, 8 at once 10 ms; a batched image saves up to 2 of a lone one's 3 ms
        BatchGain gain = new BatchGain(3 * MS, 10 * MS);
        assertThat(gain.share()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(gain.saves()).isTrue();
        assertThat(gain).hasToString("one image 3.00 ms, 8 at once 10.00 ms: a batched image saves up to 66.7% of a lone one's time");
    }

    @Test
    void whereARunIsAllImagesBatchingSavesNothing() {
        // as bf16 emulated without oneDNN: 33 ms an image, 1 ms fixed (a share of 0.03)
        BatchGain gain = new BatchGain(34 * MS, 265 * MS);
        assertThat(gain.share()).isCloseTo(0.029, within(0.001));
        assertThat(gain.saves()).isFalse();
        assertThat(gain.toString()).endsWith(", so requests run alone");
        // a batch slower than eight lone runs (noise, contention) saves nothing either; a batch faster than one lone
        // run (noise) saves everything, but no more
        assertThat(new BatchGain(10 * MS, 90 * MS).share()).isZero();
        assertThat(new BatchGain(10 * MS, 9 * MS).share()).isEqualTo(1);
        assertThat(BatchGain.UNMEASURED.saves()).isTrue();
        assertThat(BatchGain.UNMEASURED).hasToString("not measured: batching taken to pay");
    }

    @Test
    void theMeasureTimesLoneRunsAndBatchesAlternatelyAndTakesTheirMedians() {
        List<Integer> runs = new ArrayList<>();
        AtomicLong clock = new AtomicLong();
        BatchGain gain = BatchGain.measure(images -> {
            runs.add(images);
            // 4 ms fixed, 2 ms an image; the first measured lone run is slow (a page fault, a compilation), and so is the last
            // batch (another request's run beside it): the medians leave them out
            long lone = runs.stream().filter(i -> i == 1).count();
            boolean slow = images == 1 && lone == 2 || runs.size() == 12;
            clock.addAndGet((slow ? 40 : 0) * MS + (4 + 2L * images) * MS);
        }, clock::get);
        assertThat(runs).containsExactly(1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 1, 8); // a warm-up of each, then alternating
        assertThat(gain).isEqualTo(new BatchGain(6 * MS, 20 * MS));
        assertThat(gain.saves()).isTrue();
    }
}
