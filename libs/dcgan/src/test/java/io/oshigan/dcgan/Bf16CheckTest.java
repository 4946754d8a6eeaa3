package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Bf16Check} on this runtime, and what a runtime that computes bf16 wrongly does instead: it trains and serves
 * in float32, bit for bit as a float32 run.
 */
class Bf16CheckTest {
    private static final SessionThreads FIXED = new SessionThreads(1, 1);

    @Test
    void theCheckComparesEveryLayersKernelsAndBothNetworksHere() {
        Architecture small = new Architecture(100, 32, 32);
        Bf16Verdict verdict = Bf16Check.measure(small, FIXED, Bf16Check.Scope.TRAINING);
        System.out.println("bf16 check, " + CpuFeatures.ofThisMachine().describe() + ", oneDNN "
                + java.util.Objects.requireNonNullElse(System.getenv("TF_ENABLE_ONEDNN_OPTS"), "on (default)") + ": " + verdict.detail());
        List<String> compared = new java.util.ArrayList<>(Bf16Verdict.outputsOf(List.of("G1", "G5", "D1", "D5"), Bf16Verdict.KINDS));
        compared.addAll(Bf16Verdict.outputsOf(List.of("G1", "G4", "D2", "D4"), Bf16Verdict.NORM_KINDS));
        compared.addAll(Bf16Verdict.NETWORKS);
        compared.addAll(Bf16Verdict.SERVED);
        assertJudged(verdict, compared);
        assertThat(Bf16Check.verdict(small, FIXED, Bf16Check.Scope.TRAINING).sound()).isEqualTo(verdict.sound());
        assertThat(Bf16Check.usable(Precision.BF16, small, FIXED, Bf16Check.Scope.TRAINING))
                .isEqualTo(verdict.sound() ? Precision.BF16 : Precision.FP32);
        assertThat(Bf16Check.usable(Precision.FP32, small, FIXED, Bf16Check.Scope.TRAINING)).isEqualTo(Precision.FP32);
        assertThat(Bf16Check.fallback(Precision.BF16, small, FIXED, Bf16Check.Scope.TRAINING).isPresent())
                .isEqualTo(!verdict.sound());
        assertThat(Bf16Check.fallback(Precision.FP32, small, FIXED, Bf16Check.Scope.TRAINING)).isEmpty();
    }

    @Test
    void aSamplersCheckComparesGAsServedAndNothingElse() {
        Architecture small = new Architecture(100, 32, 32);
        Bf16Verdict verdict = Bf16Check.measure(small, FIXED, Bf16Check.Scope.SERVING);
        System.out.println("bf16 check for serving: " + verdict.detail());
        assertJudged(verdict, Bf16Verdict.SERVED);
        Bf16Check.verdict(small, FIXED, Bf16Check.Scope.TRAINING);   // a trainer's verdict in the same process
        if (verdict.sound()) {   // the sampler's is its own, not the trainer's kept one
            for (Bf16Verdict served : List.of(verdict, Bf16Check.verdict(small, FIXED, Bf16Check.Scope.SERVING))) {
                assertThat(served.detail()).doesNotContain("G1 ").doesNotContain("D1 ").doesNotContain("G images")
                        .doesNotContain("D logits");
            }
        }
        assertThat(Bf16Check.usable(Precision.BF16, small, FIXED, Bf16Check.Scope.SERVING))
                .isEqualTo(verdict.sound() ? Precision.BF16 : Precision.FP32);
    }

    /** A sound verdict names each compared output with its difference, and shows bf16's rounding somewhere. */
    private static void assertJudged(Bf16Verdict verdict, List<String> compared) {
        if (verdict.sound()) {
            for (String name : compared) {
                assertThat(verdict.detail()).contains(name + " ");
            }
            // bf16 was computed: its rounding shows (every output at 0.00% would mean nothing was cast)
            double largest = java.util.regex.Pattern.compile("([0-9.]+)%").matcher(verdict.detail()).results()
                    .mapToDouble(m -> Double.parseDouble(m.group(1))).max().orElse(0);
            assertThat(largest).as("largest difference, %").isGreaterThan(0.1);
        } else {
            assertThat(verdict.detail()).startsWith("bf16 is computed wrongly by this runtime on this machine: ");
        }
    }

    @Test
    void whereBf16IsComputedWronglyARunTrainsAndServesInFp32AsAnFp32RunDoes() {
        Architecture tiny = new Architecture(12, 8, 8); // an architecture of its own: no other test's verdict changes
        Bf16Check.assume(tiny, FIXED, new Bf16Verdict(false, "bf16 is computed wrongly (assumed)"));
        assertThat(Bf16Check.fallback(Precision.BF16, tiny, FIXED, Bf16Check.Scope.TRAINING))
                .contains("bf16 asked for, fp32 used: bf16 is computed wrongly (assumed)");
        float[][] losses = new float[2][];
        for (Precision precision : Precision.values()) {
            try (TrainingGraph training = TrainingGraph.builder(tiny, Hyperparameters.reference().in(precision))
                    .seed(3).threads(FIXED).fixedNoise(4).build();
                 TFloat32 real = Tensors.of(values(4 * Architecture.imageValues(), 1), 4, 96, 96, 3);
                 TFloat32 z = Tensors.of(values(4 * tiny.nz(), 2), 4, 1, 1, tiny.nz())) {
                assertThat(training.hyperparameters().precision()).isEqualTo(Precision.FP32);
                losses[precision.ordinal()] = new float[]{training.trainDiscriminator(real, z), training.trainGenerator(z)};
            }
        }
        assertThat(losses[Precision.BF16.ordinal()]).containsExactly(losses[Precision.FP32.ordinal()]);
        try (InferenceGraph generator = new InferenceGraph(tiny, FIXED)) {
            generator.initialize();
            try (ServingGraph bf16 = ServingGraph.of(generator, FIXED, Precision.BF16);
                 ServingGraph fp32 = ServingGraph.of(generator, FIXED, Precision.FP32);
                 TFloat32 z = Tensors.of(values(4 * tiny.nz(), 5), 4, 1, 1, tiny.nz())) {
                assertThat(bf16.precision()).isEqualTo(Precision.FP32);
                assertThat(bf16.generate(z)).containsExactly(fp32.generate(z));
            }
        }
    }

    private static float[] values(int n, long seed) {
        Random random = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.tanh(random.nextGaussian());
        }
        return out;
    }
}
