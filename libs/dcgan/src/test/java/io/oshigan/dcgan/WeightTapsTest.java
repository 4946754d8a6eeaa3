package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Weight gradients through {@link WeightTaps}: the same training as by differentiation, to the precision's rounding. */
class WeightTapsTest {
    private static final Architecture SMALL = new Architecture(100, 32, 32);
    private static final int BATCH = 8;
    private static final SessionThreads FIXED = new SessionThreads(1, 1);
    /** bf16's losses against fp32's after one iteration ({@link MixedPrecisionTest}): 2%. */
    private static final double LOSS_BOUND = 0.02;
    private static final String[] WEIGHTS = {"D_w0", "D_w1", "D_w2", "D_w3", "D_w4", "G_w0", "G_w1", "G_w2", "G_w3", "G_w4"};

    /**
     * In float32 the tapped filter gradients are the ops differentiation builds, on the same tensors: after three
     * iterations every weight of D and G (the tapped ones and the thin first and last layers, differentiated) is
     * what it is without taps, to float32's rounding (measured: the same losses and weights bit for bit, oneDNN on
     * and off).
     */
    @Test
    void inFloat32TappedWeightGradientsTrainAsDifferentiationDoes() {
        try (TrainingGraph tapped = training(Precision.FP32, true, 3); TrainingGraph plain = training(Precision.FP32, false, 3)) {
            float[][] before = weights(plain);
            float[] lossesTapped = iterations(tapped, 3);
            float[] lossesPlain = iterations(plain, 3);
            assertThat(lossesTapped).containsExactly(lossesPlain, org.assertj.core.data.Offset.offset(1e-5f));
            float[][] a = weights(tapped);
            float[][] b = weights(plain);
            for (int i = 0; i < WEIGHTS.length; i++) {
                // Adam moves a weight by about its learning rate a step, whatever the gradient's size: a gradient of
                // the wrong sign anywhere shows as a difference of twice that
                Hyperparameters hp = Hyperparameters.reference();
                double rate = WEIGHTS[i].startsWith("D") ? hp.learningRateD() : hp.learningRateG();
                assertThat(a[i]).as(WEIGHTS[i]).hasSameSizeAs(b[i]);
                assertThat(largestDifference(a[i], b[i])).as("%s, tapped against differentiated", WEIGHTS[i])
                        .isLessThan(rate / 100);
                // a weight no gradient reached would have stayed where it began: each one moved
                assertThat(largestDifference(b[i], before[i])).as("%s moved", WEIGHTS[i]).isGreaterThan(rate);
            }
        }
    }

    /**
     * In bfloat16 the input gradients are bf16 either way and the weight gradients float32 or bf16: the losses of
     * the first iteration and the next D step (after an update of each network) agree as bf16 and fp32 do, within
     * {@link #LOSS_BOUND}. Measured at most 0.14% apart over two seeds with oneDNN, 0.43% without (AMD Zen 5).
     */
    @Test
    void inBfloat16TappedWeightGradientsGiveTheLossesOfBf16Ones() {
        double worst = 0;
        for (long seed = 3; seed <= 4; seed++) {
            try (TrainingGraph tapped = training(Precision.BF16, true, seed);
                 TrainingGraph plain = training(Precision.BF16, false, seed)) {
                float[] a = java.util.Arrays.copyOf(iterations(tapped, 2), 3);
                float[] b = java.util.Arrays.copyOf(iterations(plain, 2), 3);
                for (int i = 0; i < a.length; i++) {
                    assertThat(Float.isFinite(a[i])).isTrue();
                    double relative = Math.abs(a[i] - b[i]) / Math.abs(b[i]);
                    worst = Math.max(worst, relative);
                    assertThat(relative).as("loss %d, seed %d: %s against %s", i, seed, a[i], b[i]).isLessThan(LOSS_BOUND);
                }
            }
        }
        System.out.printf("bf16, float32 weight gradients against bf16 ones: largest relative loss difference %.2e%n", worst);
    }

    @Test
    void float32WeightGradientsAreChosenForBf16OnACpuWithoutAmx() {
        CpuFeatures avx512 = new CpuFeatures("AMD EPYC", Set.of("avx2", "avx512f", "avx512_bf16"));
        CpuFeatures amx = new CpuFeatures("Intel Xeon", Set.of("avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16"));
        CpuFeatures none = new CpuFeatures("old", Set.of("avx2"));
        assertThat(WeightTaps.fp32Faster(Precision.BF16, avx512, true)).isTrue();
        assertThat(WeightTaps.fp32Faster(Precision.BF16, none, true)).isTrue();
        assertThat(WeightTaps.fp32Faster(Precision.BF16, amx, true)).isFalse();
        assertThat(WeightTaps.fp32Faster(Precision.FP32, avx512, true)).isFalse();
        // this build carries no CUDA: whatever the device setting, the graph runs on the CPU
        assertThat(CudaLibraries.bundled()).isFalse();
        assertThat(WeightTaps.fp32Faster(Precision.BF16, avx512, false)).isTrue();
    }

    private static TrainingGraph training(Precision precision, boolean taps, long seed) {
        return TrainingGraph.builder(SMALL, Hyperparameters.reference().in(precision)).seed(seed).threads(FIXED)
                .fixedNoise(4).fp32WeightGradients(taps).build();
    }

    /** D and G losses of {@code steps} iterations on the same inputs. */
    private static float[] iterations(TrainingGraph training, int steps) {
        float[] losses = new float[2 * steps];
        for (int step = 0; step < steps; step++) {
            try (TFloat32 real = images(step); TFloat32 z1 = latents(10 + step); TFloat32 z2 = latents(20 + step)) {
                losses[2 * step] = training.trainDiscriminator(real, z1);
                losses[2 * step + 1] = training.trainGenerator(z2);
            }
        }
        return losses;
    }

    private static double largestDifference(float[] a, float[] b) {
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }

    private static float[][] weights(TrainingGraph training) {
        float[][] values = new float[WEIGHTS.length][];
        for (int i = 0; i < WEIGHTS.length; i++) {
            values[i] = training.variables().read(WEIGHTS[i]);
        }
        return values;
    }

    private static TFloat32 latents(long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] z = new float[BATCH * SMALL.nz()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return Tensors.of(z, BATCH, 1, 1, SMALL.nz());
    }

    /** Smooth colour gradients in [-1, 1]. */
    private static TFloat32 images(long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] pixels = new float[BATCH * 96 * 96 * 3];
        for (int k = 0; k < BATCH; k++) {
            float[] base = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
            for (int i = 0; i < 96 * 96 * 3; i++) {
                int x = i / 3 % 96, y = i / 3 / 96, c = i % 3;
                pixels[k * 96 * 96 * 3 + i] = (float) Math.sin(base[c] * 6 + x / 20.0 + c * y / 30.0);
            }
        }
        return Tensors.of(pixels, BATCH, 96, 96, 3);
    }
}
