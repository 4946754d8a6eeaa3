package io.oshigan.trainer.domain;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.DiscriminatorNetwork;
import io.oshigan.dcgan.GeneratorNetwork;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StepMemoryTest {

    /** The reference's activations per image (G 150528, D 122881), as the measured factor was taken against. */
    @Test
    void activationsFollowTheLayers() {
        assertThat(StepMemory.activations(Architecture.reference())).isEqualTo(150_528 + 122_881);
    }

    /**
     * The weights count whatever the batch: at the widest settings (nz 1024, ngf = ndf = 256) they are 122 M values,
     * 2.9 GB with their gradients and optimizer state, which a batch of 128 used to be let past with 4 GB.
     */
    @Test
    void theWeightsCountWhateverTheBatch() {
        Architecture widest = new Architecture(1024, 256, 256);
        assertThat(GeneratorNetwork.parameters(Architecture.reference())).isEqualTo(3_576_512);
        assertThat(DiscriminatorNetwork.parameters(Architecture.reference())).isEqualTo(2_765_504);
        assertThat(StepMemory.weights(widest)).isBetween(2_900_000_000L, 2_950_000_000L);
        RunParameters wide = new RunParameters("run-1", 1024, 256, 256, 128, 1e-4f, 1e-5f, 0.9f, 0.999f, 2, 1L, false,
                false, 0f, io.oshigan.dcgan.Precision.FP32);
        assertThat(StepMemory.refusal(wide.toSettings(new RunParameters.Schedule(0, 10, 15, 64)), 4_300_000_000L)).get()
                .asString().contains("needs about 7.1 GB");
    }

    @Test
    void whatFitsPassesAndWhatDoesNotGetsTheBatchThatWould() {
        RunSettings reference = settings(64, 128);
        assertThat(StepMemory.estimate(Architecture.reference(), 128)).isBetween(1_200_000_000L, 1_350_000_000L);
        assertThat(StepMemory.refusal(reference, 4L << 30)).isEmpty();
        RunSettings huge = settings(256, 4096);
        assertThat(StepMemory.refusal(huge, 20L << 30)).hasValue("a training step at batch 4096 with ngf 256, ndf 256 "
                + "needs about 134.7 GB of memory; this trainer has 21.5 GB for it (step-memory): use a batch of at most 596");
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
