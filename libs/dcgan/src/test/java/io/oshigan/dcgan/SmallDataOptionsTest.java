package io.oshigan.dcgan;

import io.oshigan.contracts.CheckpointLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static io.oshigan.dcgan.NetworkShapesAndGradientsTest.noise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SmallDataOptionsTest {
    static final Architecture SMALL = NetworkShapesAndGradientsTest.SMALL;
    static final int N = 96 * 96 * 3;

    /** Runs DiffAugment on one image with one parameter row; returns the image and the gradient of sum(output). */
    static float[][] augment(float[] image, float[] params) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 96, 96, 3)));
            Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, DiffAugment.PARAMS)));
            Operand<TFloat32> y = DiffAugment.apply(tf, x, p, 1);
            Operand<TFloat32> total = tf.sum(y, tf.constant(new int[]{0, 1, 2, 3}));
            Output<?>[] grad = graph.addGradients(total.asOutput(), new Output<?>[]{x.asOutput()});
            try (Session session = new Session(graph); TFloat32 in = Tensors.of(image, 1, 96, 96, 3);
                 TFloat32 pin = Tensors.of(params, 1, DiffAugment.PARAMS);
                 Result r = session.runner().feed(x, in).feed(p, pin).fetch(y).fetch(grad[0]).run()) {
                return new float[][]{Tensors.values((TFloat32) r.get(0)), Tensors.values((TFloat32) r.get(1))};
            }
        }
    }

    static float[] ramp() {
        float[] image = new float[N];
        for (int i = 0; i < N; i++) {
            image[i] = ((i * 37) % 200) / 100f - 1f;
        }
        return image;
    }

    @Test
    void neutralParametersLeaveTheImageAlone() {
        float[] image = ramp();
        float[] out = augment(image, new float[]{0.5f, 0.5f, 0.5f, 0, 0, -1000, -1000})[0];
        for (int i = 0; i < N; i++) {
            assertThat(out[i]).isCloseTo(image[i], within(1e-5f));
        }
    }

    @Test
    void translationShiftsWithZeroFillAndCutoutBlanksASquare() {
        float[] image = ramp();
        float[] shifted = augment(image, new float[]{0.5f, 0.5f, 0.5f, 3, -2, -1000, -1000})[0];
        // output(y, x) = input(y - 3, x + 2); rows shifted in from outside are zero
        assertThat(shifted[at(10, 10, 1)]).isCloseTo(image[at(7, 12, 1)], within(1e-5f));
        assertThat(shifted[at(0, 10, 0)]).isZero();
        assertThat(shifted[at(50, 95, 2)]).isZero();
        float[] cut = augment(image, new float[]{0.5f, 0.5f, 0.5f, 0, 0, 48, 48})[0];
        assertThat(cut[at(24, 24, 0)]).isZero();
        assertThat(cut[at(71, 71, 2)]).isZero();
        assertThat(cut[at(23, 48, 0)]).isCloseTo(image[at(23, 48, 0)], within(1e-5f));
        assertThat(cut[at(48, 72, 1)]).isCloseTo(image[at(48, 72, 1)], within(1e-5f));
    }

    @Test
    void gradientsFlowThroughTheAugmentationToTheImages() {
        float[] gradient = augment(ramp(), new float[]{0.3f, 0.8f, 0.2f, 5, 5, 10, 80})[1];
        double norm = 0;
        for (float g : gradient) {
            norm += g * g;
        }
        assertThat(norm).isGreaterThan(0);
    }

    @Test
    void theMovingAverageFollowsTheWeightsAndIsWhatIsExported(@TempDir Path dir) {
        SmallDataOptions options = new SmallDataOptions(true, 0.9f);
        try (TrainingGraph training = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(3).threads(new SessionThreads(1, 1)).fixedNoise(4).smallData(options, 4).build();
             TFloat32 real = noise(4, 1, 96, 96, 3); TFloat32 z = noise(4, 2);
             TFloat32 augReal = params(4, 11); TFloat32 augFake = params(4, 12); TFloat32 augG = params(4, 13)) {
            float[] before = training.variables().read("G_w2");
            assertThat(training.variables().read("Gema_w2")).isEqualTo(before);
            training.trainDiscriminator(real, z, augReal, augFake);
            training.trainGenerator(z, augG);
            float[] after = training.variables().read("G_w2");
            float[] average = training.variables().read("Gema_w2");
            for (int i = 0; i < after.length; i += 97) {
                assertThat(average[i]).isCloseTo(0.9f * before[i] + 0.1f * after[i], within(1e-6f));
            }
            Checkpoints.write(training, dir, 4, 1, 1, Instant.now());
            float[] served = training.generate(z);
            try (SavedModelBundle bundle = SavedModelBundle.load(dir.resolve(CheckpointLayout.GENERATOR_DIR).toString(), "serve");
                 Result result = bundle.function(InferenceGraph.SIGNATURE_KEY).call(Map.of(InferenceGraph.INPUT, z))) {
                assertThat(Tensors.values((TFloat32) result.get(InferenceGraph.OUTPUT).orElseThrow())).isEqualTo(served);
            }
        }
    }

    @Test
    void aCheckpointWithoutTheMovingAverageResumesWithItStartedAtGsWeights(@TempDir Path dir) {
        float[] trainedG;
        float[] trainedD;
        float[] trainedStats;
        try (TrainingGraph plain = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(3).threads(new SessionThreads(1, 1)).fixedNoise(4).build();
             TFloat32 real = noise(4, 1, 96, 96, 3); TFloat32 z = noise(4, 2)) {
            plain.trainDiscriminator(real, z);
            plain.trainGenerator(z);
            trainedG = plain.variables().read("G_w2");
            trainedD = plain.variables().read("D_w1_m");
            trainedStats = plain.variables().read("G_bn2_mean");
            Checkpoints.write(plain, dir, 4, 1, 1, Instant.now());
        }
        // the moving average turned on for a run that has checkpoints: it starts as a copy of G at the resume
        try (TrainingGraph averaged = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(9).threads(new SessionThreads(1, 1)).fixedNoise(4)
                .smallData(new SmallDataOptions(false, 0.9f), 4).build();
             TFloat32 real = noise(4, 1, 96, 96, 3); TFloat32 z = noise(4, 2)) {
            Checkpoints.restore(averaged, dir);
            assertThat(averaged.variables().read("G_w2")).isEqualTo(trainedG);
            assertThat(averaged.variables().read("D_w1_m")).isEqualTo(trainedD);
            assertThat(averaged.variables().read("G_bn2_mean")).isEqualTo(trainedStats);
            assertThat(averaged.variables().read("Gema_w2")).isEqualTo(trainedG);
            averaged.trainDiscriminator(real, z);
            assertThat(averaged.trainGenerator(z)).isFinite();
        }
    }

    @Test
    void aCheckpointTensorFlowCannotReadIsRefusedWithWhereItIs(@TempDir Path dir) throws java.io.IOException {
        try (TrainingGraph plain = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(3).threads(new SessionThreads(1, 1)).fixedNoise(4).build()) {
            Checkpoints.write(plain, dir, 4, 1, 1, Instant.now());
        }
        try (var files = java.nio.file.Files.list(dir.resolve(CheckpointLayout.CHECKPOINT_DIR))) {
            for (Path file : files.filter(f -> f.getFileName().toString().contains(".data-")).toList()) {
                java.nio.file.Files.write(file, new byte[]{1, 2, 3});
            }
        }
        try (TrainingGraph training = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(3).threads(new SessionThreads(1, 1)).fixedNoise(4).build()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Checkpoints.restore(training, dir))
                    .isInstanceOf(IncompatibleCheckpointException.class)
                    .hasMessageContaining("the TensorFlow checkpoint in " + dir);
        }
    }

    static TFloat32 params(int batch, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[batch * DiffAugment.PARAMS];
        for (int b = 0; b < batch; b++) {
            values[b * 7] = random.nextFloat();
            values[b * 7 + 1] = random.nextFloat();
            values[b * 7 + 2] = random.nextFloat();
            values[b * 7 + 3] = random.nextInt(25) - 12;
            values[b * 7 + 4] = random.nextInt(25) - 12;
            values[b * 7 + 5] = random.nextInt(97);
            values[b * 7 + 6] = random.nextInt(97);
        }
        return Tensors.of(values, batch, DiffAugment.PARAMS);
    }

    private static int at(int y, int x, int c) {
        return (y * 96 + x) * 3 + c;
    }
}
