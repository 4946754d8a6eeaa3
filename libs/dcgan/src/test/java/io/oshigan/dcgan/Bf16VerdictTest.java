package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The judgement of {@link Bf16Check}'s outputs, on made-up outputs: what passes as rounding and what is a fault. */
class Bf16VerdictTest {
    /** One layer's three kernels, then the networks and G as served: what a trainer's check of one layer names. */
    private static final List<String> NAMES = java.util.stream.Stream.of(Bf16Verdict.outputsOf(List.of("G1"), Bf16Verdict.KINDS),
            Bf16Verdict.NETWORKS, Bf16Verdict.SERVED).flatMap(List::stream).toList();

    @Test
    void theNamesAreEveryLayersThreeKernelsThenEachBatchNormsTwoThenTheNetworksThenGAsServedOneForEachOutput() {
        assertThat(Bf16Verdict.outputsOf(List.of("G1", "D1"), Bf16Verdict.KINDS)).containsExactly("G1 forward", "G1 input gradient",
                "G1 weight gradient", "D1 forward", "D1 input gradient", "D1 weight gradient");
        Architecture tiny = new Architecture(12, 8, 8);
        SessionThreads threads = new SessionThreads(1, 1);
        try (Bf16CheckGraph training = new Bf16CheckGraph(1); Bf16CheckGraph serving = new Bf16CheckGraph(1)) {
            training.addLayers(tiny);
            training.addBatchNorms(tiny);
            training.addNetworks(tiny);
            training.addServing(tiny, threads);
            serving.addServing(tiny, threads);
            int layers = GeneratorNetwork.LAYERS.length + DiscriminatorNetwork.LAYERS.length;
            assertThat(training.names()).hasSize(3 * layers + 2 * 7 + 4).startsWith("G1 forward", "G1 input gradient")
                    .contains("D5 weight gradient", "G1 batch norm", "D4 batch norm input gradient")
                    .endsWith("D4 batch norm input gradient", "G images", "D logits", "served images, batch 1",
                            "served images, batch 16");
            assertThat(serving.names()).containsExactly("served images, batch 1", "served images, batch 16");
            for (Precision precision : Precision.values()) {
                assertThat(training.outputs(precision)).hasSameSizeAs(training.names());
                assertThat(serving.outputs(precision)).hasSameSizeAs(serving.names());
            }
        }
    }

    @Test
    void outputsWithinRoundingThatRepeatAreSound() {
        float[][] fp32 = outputs(1);
        float[][] bf16 = perturbed(fp32, 0.03, 2);
        Bf16Verdict verdict = Bf16Verdict.judge(NAMES, fp32, bf16, copy(bf16));
        assertThat(verdict.sound()).as(verdict.detail()).isTrue();
        assertThat(verdict.detail()).startsWith("bf16 agrees with fp32 here: G1 forward 3.0");
    }

    @Test
    void oneOutputFarFromFloat32IsAFaultThatNamesIt() {
        float[][] fp32 = outputs(1);
        float[][] bf16 = perturbed(fp32, 0.01, 2);
        bf16[2] = perturbed(fp32, 0.15, 3)[2];
        Bf16Verdict verdict = Bf16Verdict.judge(NAMES, fp32, bf16, copy(bf16));
        assertThat(verdict.sound()).isFalse();
        assertThat(verdict.detail()).isEqualTo("bf16 is computed wrongly by this runtime on this machine: "
                + "G1 weight gradient 15.0% off fp32 (rounding stays under 10%)");
    }

    @Test
    void aSecondRunThatDiffersIsAFaultEvenCloseToFloat32() {
        float[][] fp32 = outputs(1);
        float[][] bf16 = perturbed(fp32, 0.01, 2);
        float[][] again = perturbed(fp32, 0.01, 4);
        Bf16Verdict verdict = Bf16Verdict.judge(NAMES, fp32, bf16, again);
        assertThat(verdict.sound()).isFalse();
        assertThat(verdict.detail()).containsPattern("G1 forward 1\\.4[0-9]% different on a second run of the same inputs");
    }

    @Test
    void notANumberIsAFault() {
        float[][] fp32 = outputs(1);
        float[][] bf16 = copy(fp32);
        bf16[3][7] = Float.NaN;
        Bf16Verdict verdict = Bf16Verdict.judge(NAMES, fp32, bf16, copy(bf16));
        assertThat(verdict.sound()).isFalse();
        assertThat(verdict.detail()).endsWith("G images not finite");
    }

    @Test
    void anOutputThatIsZeroInFloat32ComparesNothingAndIsAFault() {
        float[][] fp32 = outputs(1);
        fp32[1] = new float[fp32[1].length];
        float[][] bf16 = copy(fp32);
        Bf16Verdict verdict = Bf16Verdict.judge(NAMES, fp32, bf16, copy(bf16));
        assertThat(verdict.sound()).isFalse();
        assertThat(verdict.detail()).endsWith("G1 input gradient all zero in fp32: nothing to compare");
    }

    @Test
    void outputsThatDoNotMatchTheirNamesAreRefused() {
        float[][] fp32 = outputs(1);
        float[][] fewer = java.util.Arrays.copyOf(fp32, fp32.length - 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Bf16Verdict.judge(NAMES, fp32, fewer, fewer))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDifferenceIsRelativeToFloat32sNorm() {
        assertThat(Bf16Verdict.relativeDifference(new float[]{3, 4}, new float[]{3, 4.5f})).isEqualTo(0.1);
        assertThat(Bf16Verdict.relativeDifference(new float[]{0, 0}, new float[]{0, 0})).isZero();
        assertThat(Bf16Verdict.relativeDifference(new float[]{0, 0}, new float[]{0, 1})).isInfinite();
    }

    private static float[][] outputs(long seed) {
        Random random = new Random(seed);
        float[][] out = new float[NAMES.size()][4096];
        for (float[] o : out) {
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) random.nextGaussian();
            }
        }
        return out;
    }

    /** Each output plus Gaussian noise of the given relative size (in the L2 sense, as the verdict measures). */
    private static float[][] perturbed(float[][] a, double relative, long seed) {
        Random random = new Random(seed);
        float[][] out = copy(a);
        for (float[] o : out) {
            double norm = 0;
            float[] noise = new float[o.length];
            for (int i = 0; i < o.length; i++) {
                noise[i] = (float) random.nextGaussian();
                norm += o[i] * (double) o[i];
            }
            double noiseNorm = Math.sqrt(java.util.stream.IntStream.range(0, o.length).mapToDouble(i -> noise[i] * (double) noise[i]).sum());
            double scale = relative * Math.sqrt(norm) / noiseNorm;
            for (int i = 0; i < o.length; i++) {
                o[i] += (float) (noise[i] * scale);
            }
        }
        return out;
    }

    private static float[][] copy(float[][] a) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
