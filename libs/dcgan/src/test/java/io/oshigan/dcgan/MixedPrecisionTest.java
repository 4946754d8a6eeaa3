package io.oshigan.dcgan;

import io.oshigan.contracts.CheckpointLayout;
import io.oshigan.dcgan.translate.FaceImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bfloat16 mixed precision against float32, same weights and inputs. The bounds were measured here (AMD EPYC with
 * AVX-512 BF16) with oneDNN on and off (TF_ENABLE_ONEDNN_OPTS=1/0, i.e. native and emulated bfloat16) and carry a
 * margin of several times the largest difference seen; the numbers are in the closing note of the change.
 */
class MixedPrecisionTest {
    /** Wide enough for bfloat16's rounding to show as it does at the reference size (ngf = ndf = 64). */
    private static final Architecture MEDIUM = new Architecture(100, 32, 32);
    private static final int BATCH = 16;
    private static final SessionThreads FIXED = new SessionThreads(1, 1);
    /**
     * Relative difference of D's and G's loss after one bf16 step against fp32's. Measured 0.27% (oneDNN), 0.86% (off)
     * on an AMD Zen 4 at seeds 1-3. On a Zen 5 over seeds 1-10, intra-op threads 1 and 2 (a test's session shares the
     * process's thread pool, so its thread count is that of the first session), bf16 weight gradients or fp32 ones
     * ({@link WeightTaps}): at most 0.52% with oneDNN, 1.57% without (TensorFlow's own bf16 kernels, seed 9). With
     * activations left in bf16 between layers, seeds 1-3: 0.41% and 1.02%. The bound keeps 2.5x over the largest; a
     * bf16 kernel that is wrong is tens of percent off ({@link Bf16Check}).
     */
    private static final double LOSS_BOUND = 0.04;
    /**
     * Served images of a generator whose pictures span 0..255, per channel in 0-255 levels: measured at most 3 levels
     * apart and 0.10 on average with oneDNN's bfloat16, 10 and 0.22 with TensorFlow's own kernels (oneDNN off); with
     * activations left in bf16 between layers (AMD Zen 5) 2 and 0.11, and 5 and 0.23.
     */
    private static final int MAX_LEVELS = 25;
    private static final double MEAN_LEVELS = 1.0;

    /**
     * Where {@link Bf16Check} finds this runtime's bf16 wrong (as TensorFlow 2.18's oneDNN on an AMD Zen 5 did while
     * thin layers ran in bf16), the run computes in fp32 instead and its losses are fp32's exactly: asserted there.
     */
    @Test
    void aBf16StepRunsAndItsLossesAreCloseToFp32sForTheSameWeightsAndInputs() {
        Bf16Verdict verdict = Bf16Check.verdict(MEDIUM, FIXED, Bf16Check.Scope.TRAINING);
        System.out.println(verdict.detail());
        double worst = 0;
        for (long seed = 1; seed <= 3; seed++) {
            float[] fp32 = oneIteration(Precision.FP32, seed);
            float[] bf16 = oneIteration(Precision.BF16, seed);
            if (!verdict.sound()) {
                assertThat(bf16).as("bf16 asked for where it is computed wrongly: fp32's losses").containsExactly(fp32);
                continue;
            }
            for (int i = 0; i < 2; i++) {
                assertThat(Float.isFinite(bf16[i])).as("bf16 loss %d, seed %d", i, seed).isTrue();
                double relative = Math.abs(bf16[i] - fp32[i]) / Math.abs(fp32[i]);
                worst = Math.max(worst, relative);
                // the check's own figures in the message: a runtime it passed that is wrong here says by how much
                assertThat(relative).as("loss %s, seed %d: fp32 %s, bf16 %s (%s)", i == 0 ? "D" : "G", seed, fp32[i],
                        bf16[i], verdict.detail()).isLessThan(LOSS_BOUND);
            }
        }
        System.out.printf("bf16 against fp32, one iteration, 3 seeds: largest relative loss difference %.2e%n", worst);
    }

    @Test
    void bf16ServingImagesDifferFromFp32sByAFewLevelsAndTheCheckpointIsTheSame(@TempDir Path dir) {
        // fast rates (the trainer's learning check's): after 30 steps the images span the colour range, as a trained
        // generator's do, so the comparison is not of near-grey pictures
        Hyperparameters fast = Hyperparameters.chosen(1e-2f, 5e-4f, 0.5f, 0.999f, 1f, Precision.BF16);
        try (TrainingGraph training = TrainingGraph.builder(MEDIUM, fast).seed(5).threads(FIXED).fixedNoise(4).build()) {
            for (int step = 0; step < 30; step++) {
                try (TFloat32 real = TestInputs.smoothImages(BATCH, step); TFloat32 z1 = TestInputs.latents(BATCH, MEDIUM.nz(), 100 + step);
                     TFloat32 z2 = TestInputs.latents(BATCH, MEDIUM.nz(), 200 + step)) {
                    training.trainDiscriminator(real, z1);
                    training.trainGenerator(z2);
                }
            }
            CheckpointManifest manifest = Checkpoints.write(training, dir, BATCH, 1, 1, Instant.EPOCH);
            // the manifest records what the run computed in: fp32 where bf16 fails its check here
            Precision computed = Bf16Check.usable(Precision.BF16, MEDIUM, FIXED, Bf16Check.Scope.TRAINING);
            assertThat(Checkpoints.readManifest(dir).hyperparameters().precision()).isEqualTo(computed);
            assertThat(manifest.hyperparameters().precision()).isEqualTo(computed);
        }
        // the checkpoint holds float32 weights whatever the precision: an fp32 run resumes from it
        try (TrainingGraph resumed = TrainingGraph.builder(MEDIUM, Hyperparameters.reference()).seed(9).threads(FIXED)
                .fixedNoise(4).build()) {
            Checkpoints.restore(resumed, dir);
            assertThat(resumed.hyperparameters().precision()).isEqualTo(Precision.FP32);
        }
        Path generator = dir.resolve(CheckpointLayout.GENERATOR_DIR);
        try (ServingGraph fp32 = ServingGraph.load(generator, MEDIUM, FIXED, Precision.FP32);
             ServingGraph bf16 = ServingGraph.load(generator, MEDIUM, FIXED, Precision.BF16);
             TFloat32 z = TestInputs.latents(64, MEDIUM.nz(), 77)) {
            float[] a = fp32.generate(z);
            float[] b = bf16.generate(z);
            int[] range = {255, 0};
            for (float v : a) {
                range[0] = Math.min(range[0], FaceImages.toByte(v));
                range[1] = Math.max(range[1], FaceImages.toByte(v));
            }
            System.out.printf("fp32 images span levels %d..%d%n", range[0], range[1]);
            int[] max = new int[3];
            double[] sum = new double[3];
            for (int i = 0; i < a.length; i++) {
                int levels = Math.abs(FaceImages.toByte(a[i]) - FaceImages.toByte(b[i]));
                max[i % 3] = Math.max(max[i % 3], levels);
                sum[i % 3] += levels;
            }
            for (int c = 0; c < 3; c++) {
                double mean = sum[c] / (a.length / 3.0);
                System.out.printf("bf16 against fp32 serving, channel %d: max %d levels, mean %.3f%n", c, max[c], mean);
                assertThat(max[c]).as("channel %d, largest difference in levels", c).isLessThanOrEqualTo(MAX_LEVELS);
                assertThat(mean).as("channel %d, mean difference in levels", c).isLessThan(MEAN_LEVELS);
            }
        }
    }

    /** Losses of D and G after one iteration from the same initial weights and inputs. */
    private static float[] oneIteration(Precision precision, long seed) {
        try (TrainingGraph training = TrainingGraph.builder(MEDIUM, Hyperparameters.reference().in(precision))
                .seed(seed).threads(FIXED).fixedNoise(4).build();
             TFloat32 real = TestInputs.smoothImages(BATCH, seed); TFloat32 z1 = TestInputs.latents(BATCH, MEDIUM.nz(), seed + 10);
             TFloat32 z2 = TestInputs.latents(BATCH, MEDIUM.nz(), seed + 20)) {
            return new float[]{training.trainDiscriminator(real, z1), training.trainGenerator(z2)};
        }
    }
}
