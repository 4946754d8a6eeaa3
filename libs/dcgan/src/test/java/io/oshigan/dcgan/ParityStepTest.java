package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** One D step and one G step with PyTorch's Adam, against the reference's weights after the same iteration. */
class ParityStepTest {

    @Test
    void oneIterationGivesPyTorchsWeights() {
        try (TrainingGraph training = ParityTest.referenceGraph()) {
            oneIteration(training);
        }
    }

    private static void oneIteration(TrainingGraph training) {
        try (TFloat32 real = ParityTest.tensor("real"); TFloat32 z = ParityTest.tensor("z"); TFloat32 z2 = ParityTest.tensor("z2")) {
            float lossD = training.trainDiscriminator(real, z);
            float lossG = training.trainGenerator(z2);
            assertThat((double) lossD).isCloseTo(ParityTest.parity.get("lossD").asDouble(), within(1e-5));
            assertThat((double) lossG).isCloseTo(ParityTest.parity.get("lossG").asDouble(), within(1e-5));
        }
        StringBuilder report = new StringBuilder();
        for (String name : ParityTest.variableNames()) {
            float[] before = Npy.resource(name).data();
            float[] expected = Npy.resource(name + "_after").data();
            float[] actual = training.variables().read(name);
            float lr = (float) ParityTest.parity.get(name.startsWith("G") ? "lrG" : "lrD").asDouble();
            int roundingLevel = 0;
            float maxWithin = 0;
            for (int i = 0; i < actual.length; i++) {
                float diff = Math.abs(actual[i] - expected[i]);
                if (diff <= 1e-6f) {
                    maxWithin = Math.max(maxWithin, diff);
                    continue;
                }
                float ours = actual[i] - before[i];
                float theirs = expected[i] - before[i];
                // Adam's first step is lr * g / (|g| + eps): +-lr for any real gradient. Only where |g| is near eps
                // (1e-8, rounding level for these sums) is the step smaller than lr, and there its size and sign
                // follow the rounding of g, which differs between two correct implementations.
                boolean atRoundingLevel = Math.abs(theirs) < 0.99f * lr || Math.abs(ours) < 0.99f * lr;
                assertThat(atRoundingLevel).as("%s[%d]: ours %s, PyTorch %s", name, i, ours, theirs).isTrue();
                roundingLevel++;
            }
            assertThat(roundingLevel).as(name + ": elements with a rounding-level gradient")
                    .isLessThanOrEqualTo(Math.max(2, actual.length / 100));
            report.append(String.format("%-14s %6d values: %d within 1e-6 (max diff %.1e), %d with |g| at rounding level%n",
                    name, actual.length, actual.length - roundingLevel, maxWithin, roundingLevel));
        }
        System.out.print(report);
    }
}
