package io.oshigan.trainer.domain;

import io.oshigan.dcgan.Architecture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StepMemoryTest {

    /** The reference's activations per image (G 150528, D 122881), as the measured factor was taken against. */
    @Test
    void activationsFollowTheLayers() {
        assertThat(StepMemory.activations(Architecture.reference())).isEqualTo(150_528 + 122_881);
    }

    @Test
    void whatFitsPassesAndWhatDoesNotGetsTheBatchThatWould() {
        RunSettings reference = settings(64, 128);
        assertThat(StepMemory.estimate(Architecture.reference(), 128)).isBetween(1_000_000_000L, 1_200_000_000L);
        assertThat(StepMemory.refusal(reference, 4L << 30)).isEmpty();
        RunSettings huge = settings(256, 4096);
        assertThat(StepMemory.refusal(huge, 20L << 30)).hasValue("a training step at batch 4096 with ngf 256, ndf 256 "
                + "needs about 132.5 GB of memory; this trainer has 21.5 GB for it (step-memory): use a batch of at most 663");
        assertThat(StepMemory.refusal(huge, 10L << 20)).get().asString()
                .endsWith("use narrower networks (ngf, ndf), or more memory");
        assertThat(StepMemory.refusal(reference, -(1L << 30))).get().asString()
                .contains("this trainer has no memory left for it outside its heap (step-memory)");
    }

    private static RunSettings settings(int width, int batch) {
        return new RunParameters("run-1", 100, width, width, batch, 1e-4f, 1e-5f, 0.9f, 0.999f, 2, 1L, false, false, 0f,
                io.oshigan.dcgan.Precision.FP32).toSettings(new RunParameters.Schedule(0, 10, 15, 64));
    }
}
