package io.oshigan.sampler.domain;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BatchCostsTest {
    private static final long MS = 1_000_000;

    @Test
    void theFixedAndPerImageCostsOfRunsOfSeveralSizesAreFound() {
        BatchCosts costs = new BatchCosts();
        Random random = new Random(3);
        for (int i = 0; i < 400; i++) {
            int b = 1 + random.nextInt(16);
            costs.observe(b, Math.round((1.2 + 0.7 * b) * MS * (0.95 + 0.1 * random.nextDouble()))); // 5% noise
        }
        assertThat(costs.fixedNanos() / (double) MS).isCloseTo(1.2, within(0.25));
        assertThat(costs.perImageNanos() / (double) MS).isCloseTo(0.7, within(0.05));
        // runs of 1..16 images, 8.5 on average, 7.15 ms: one image's share is 0.75 ms, below the fixed 1.2 ms
        assertThat(costs.waitBoundNanos() / (double) MS).isCloseTo(0.75, within(0.05));
    }

    @Test
    void noisyRunsOfNearlyOneSizeNeverMakeTheWaitMoreThanOneImagesShare() {
        BatchCosts costs = new BatchCosts();
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) { // batches of 7 to 9 whose times swing by half: the slope is noise
            costs.observe(7 + random.nextInt(3), Math.round(8 * MS * (0.5 + random.nextDouble())));
        }
        assertThat(costs.waitBoundNanos()).isLessThanOrEqualTo(Math.round(8.5 * MS / 9));
    }

    @Test
    void theFitFollowsAChangeOfMachineOrModel() {
        BatchCosts costs = new BatchCosts();
        for (int i = 0; i < 200; i++) {
            costs.observe(1 + i % 8, (2 + 1 * (1 + i % 8)) * MS);
        }
        assertThat(costs.fixedNanos()).isCloseTo(2 * MS, within(MS / 10));
        for (int i = 0; i < 300; i++) { // four times slower, as if another CPU
            costs.observe(1 + i % 8, 4 * (2 + 1 * (1 + i % 8)) * MS);
        }
        assertThat(costs.fixedNanos()).isCloseTo(8 * MS, within(MS / 2));
        assertThat(costs.perImageNanos()).isCloseTo(4 * MS, within(MS / 4));
    }

    @Test
    void withOneBatchSizeOnlyTheFixedCostIsOneImagesWorthAndNothingBeforeAnyRun() {
        BatchCosts costs = new BatchCosts();
        assertThat(costs.fixedNanos()).isZero();
        for (int i = 0; i < 20; i++) {
            costs.observe(1, 3 * MS);
        }
        assertThat(costs.fixedNanos()).isEqualTo(3 * MS / 2);
        assertThat(costs.perImageNanos()).isEqualTo(3 * MS / 2);
    }
}
