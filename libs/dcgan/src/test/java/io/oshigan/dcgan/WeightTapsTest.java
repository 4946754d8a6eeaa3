package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Weight gradients through {@link WeightTaps}: the same training as by differentiation, to the precision's rounding. */
class WeightTapsTest {
    private static final Architecture SMALL = new Architecture(100, 32, 32);
    private static final int BATCH = 8;
    private static final SessionThreads FIXED = new SessionThreads(1, 1);
    /**
     * Tapped bf16 against plain bf16, relative loss difference: 2%. Measured at most 0.43% (seeds 3-4, oneDNN on and
     * off); over seeds 1-10 and 1-2 threads the two differ from fp32 alike (MixedPrecisionTest's figures).
     */
    private static final double LOSS_BOUND = 0.02;
    private static final String[] WEIGHTS = {"D_w0", "D_w1", "D_w2", "D_w3", "D_w4", "G_w0", "G_w1", "G_w2", "G_w3", "G_w4"};

    /**
     * Each form a layer takes (SAME; padded by hand, then VALID; VALID; and the transposed ones, the last cut to size
     * by a slice), tapped, in float32: its output, input gradient and filter gradient equal differentiation's.
     */
    @ParameterizedTest(name = "{0}: in {1}, k{2} s{3} p{4}")
    @CsvSource({"conv SAME,16,4,2,1,false", "conv padded VALID,8,3,2,1,false", "conv VALID,4,4,1,0,false",
            "transposed SAME,8,4,2,1,true", "transposed VALID + slice,4,4,1,1,true", "transposed VALID,1,4,1,0,true"})
    void eachLayerFormsTappedFilterGradientIsDifferentiations(String form, int in, int k, int s, int p, boolean transposed) {
        int channels = 16; // not thin: the plain forms, not the space-to-depth or sub-pixel ones
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Variable<TFloat32> x = TestInputs.gaussianVariable(tf, Shape.of(2, in, in, channels), 1);
            Variable<TFloat32> w = TestInputs.gaussianVariable(tf, Shape.of(k, k, channels, channels), 2);
            WeightTaps taps = new WeightTaps();
            Operand<TFloat32> tapped = Precision.fp32(tf, transposed
                    ? Layers.convTranspose2d(tf, x, w, in, k, s, p, channels, Precision.FP32, taps)
                    : Layers.conv2d(tf, x, w, in, k, s, p, Precision.FP32, taps));
            Operand<TFloat32> plain = Precision.fp32(tf, transposed
                    ? Layers.convTranspose2d(tf, x, w, in, k, s, p, channels, Precision.FP32)
                    : Layers.conv2d(tf, x, w, in, k, s, p, Precision.FP32));
            assertThat(taps.size()).as("taps recorded").isEqualTo(1);
            Operand<TFloat32> r = TestInputs.gaussianVariable(tf, plain.shape(), 3);
            Operand<TFloat32> objectiveTapped = tf.reduceSum(tf.math.mul(tapped, r), tf.constant(new int[]{0, 1, 2, 3}));
            Operand<TFloat32> objectivePlain = tf.reduceSum(tf.math.mul(plain, r), tf.constant(new int[]{0, 1, 2, 3}));
            Output<?> filterTapped = WeightTaps.gradients(graph, tf, objectiveTapped, List.of(w), List.of(taps))[0];
            Output<?> inputTapped = graph.addGradients(objectiveTapped.asOutput(), new Output<?>[]{x.asOutput()})[0];
            Output<?>[] plainGradients = graph.addGradients(objectivePlain.asOutput(), new Output<?>[]{x.asOutput(), w.asOutput()});
            try (Session session = new Session(graph)) {
                session.initialize();
                try (Result result = session.runner().fetch(tapped).fetch(plain).fetch(inputTapped).fetch(plainGradients[0])
                        .fetch(filterTapped).fetch(plainGradients[1]).run()) {
                    String[] what = {"output", "input gradient", "filter gradient"};
                    for (int i = 0; i < 3; i++) {
                        float[] got = Tensors.values((TFloat32) result.get(2 * i));
                        float[] want = Tensors.values((TFloat32) result.get(2 * i + 1));
                        assertThat(got).as(what[i]).hasSameSizeAs(want);
                        assertThat(largestDifference(got, want)).as("%s, %s", form, what[i]).isLessThan(1e-4);
                    }
                }
            }
        }
    }

    /**
     * In float32 the tapped filter gradients are the ops differentiation builds, on the same tensors: after three
     * iterations every weight of D and G (the tapped ones and the thin first and last layers, differentiated) is
     * what it is without taps, to float32's rounding (measured: the same losses and weights bit for bit, oneDNN on
     * and off).
     */
    @ParameterizedTest(name = "{1} tapped, DiffAugment and G's moving average {0}")
    @CsvSource({"false,ALL", "true,ALL", "false,SMALL_MAPS"})
    void inFloat32TappedWeightGradientsTrainAsDifferentiationDoes(boolean smallData, Fp32WeightGradients which) {
        SmallDataOptions options = smallData ? new SmallDataOptions(true, SmallDataOptions.DEFAULT_EMA_DECAY) : SmallDataOptions.none();
        try (TrainingGraph tapped = training(Precision.FP32, which, 3, options);
             TrainingGraph plain = training(Precision.FP32, Fp32WeightGradients.NONE, 3, options)) {
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
     * the first iteration and the next D step (after an update of each network) agree within {@link #LOSS_BOUND}.
     * Measured at most 0.14% apart over two seeds with oneDNN, 0.43% without (AMD Zen 5).
     */
    @ParameterizedTest(name = "{0} tapped")
    @org.junit.jupiter.params.provider.EnumSource(value = Fp32WeightGradients.class, names = {"ALL", "SMALL_MAPS"})
    void inBfloat16TappedWeightGradientsGiveTheLossesOfBf16Ones(Fp32WeightGradients which) {
        double worst = 0;
        for (long seed = 3; seed <= 4; seed++) {
            try (TrainingGraph tapped = training(Precision.BF16, which, seed);
                 TrainingGraph plain = training(Precision.BF16, Fp32WeightGradients.NONE, seed)) {
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
        System.out.printf("bf16, float32 weight gradients (%s) against bf16 ones: largest relative loss difference %.2e%n",
                which, worst);
    }

    /**
     * A bf16 graph built without a choice trains as one built with {@link Fp32WeightGradients#SMALL_MAPS}: the same
     * losses and weights, bit for bit, after two iterations; one built with every weight gradient in bf16 ends
     * elsewhere (so the comparison can tell them apart).
     */
    @Test
    void bf16OnACpuTrainsWithTheSmallMapsWeightGradientsByDefault() {
        try (TrainingGraph chosen = training(Precision.BF16, null, 5);
             TrainingGraph small = training(Precision.BF16, Fp32WeightGradients.SMALL_MAPS, 5);
             TrainingGraph none = training(Precision.BF16, Fp32WeightGradients.NONE, 5)) {
            assertThat(chosen.fp32WeightGradients()).as("as built, what the trainer logs").isEqualTo(Fp32WeightGradients.SMALL_MAPS);
            assertThat(none.fp32WeightGradients()).isEqualTo(Fp32WeightGradients.NONE);
            float[] losses = iterations(chosen, 2);
            assertThat(losses).containsExactly(iterations(small, 2));
            iterations(none, 2);
            float[][] a = weights(chosen);
            float[][] b = weights(small);
            float[][] c = weights(none);
            boolean elsewhere = false;
            for (int i = 0; i < WEIGHTS.length; i++) {
                assertThat(a[i]).as(WEIGHTS[i]).containsExactly(b[i]);
                elsewhere |= !java.util.Arrays.equals(a[i], c[i]);
            }
            assertThat(elsewhere).as("every weight gradient in bf16 trains to other weights").isTrue();
        }
    }

    @Test
    void float32WeightGradientsOfTheSmallMapsAreChosenForBf16OnACpu() {
        assertThat(Fp32WeightGradients.forMachine(Precision.BF16, true)).isEqualTo(Fp32WeightGradients.SMALL_MAPS);
        assertThat(Fp32WeightGradients.forMachine(Precision.FP32, true)).isEqualTo(Fp32WeightGradients.NONE);
        // this build carries no CUDA: whatever the device setting, the graph runs on the CPU
        assertThat(CudaLibraries.bundled()).isFalse();
        assertThat(Fp32WeightGradients.forMachine(Precision.BF16, false)).isEqualTo(Fp32WeightGradients.SMALL_MAPS);
        assertThat(Fp32WeightGradients.NONE.note()).isEmpty();
        assertThat(Fp32WeightGradients.SMALL_MAPS.note()).contains("4x4 and smaller");
    }

    /**
     * Which layers each choice taps, by their smaller feature map (D: 96, 32, 16, 8, 4, 1; G the reverse): every one
     * but the thin first of D and last of G (computed another way, differentiated), or those at 4x4 and smaller
     * (D's last two, G's first two).
     */
    @ParameterizedTest(name = "{0}: {1} of D, {2} of G")
    @CsvSource({"ALL,4,4", "SMALL_MAPS,2,2"})
    void eachChoiceTapsTheLayersItCovers(Fp32WeightGradients which, int discriminatorTaps, int generatorTaps) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Hyperparameters hp = Hyperparameters.reference().in(Precision.BF16);
            DiscriminatorNetwork d = new DiscriminatorNetwork(tf, SMALL, 1);
            GeneratorNetwork g = new GeneratorNetwork(tf, SMALL, 2);
            WeightTaps onD = new WeightTaps(which);
            WeightTaps onG = new WeightTaps(which);
            d.forward(tf, tf.zeros(tf.constant(new int[]{2, 96, 96, 3}), TFloat32.class), true, d.runningStats(), hp, onD);
            g.forward(tf, tf.zeros(tf.constant(new int[]{2, 1, 1, SMALL.nz()}), TFloat32.class), true, g.runningStats(), hp, onG);
            assertThat(onD.size()).as("D's taps").isEqualTo(discriminatorTaps);
            assertThat(onG.size()).as("G's taps").isEqualTo(generatorTaps);
        }
    }

    private static TrainingGraph training(Precision precision, Fp32WeightGradients taps, long seed) {
        return training(precision, taps, seed, SmallDataOptions.none());
    }

    /** {@code taps} null: the graph's own choice. */
    private static TrainingGraph training(Precision precision, Fp32WeightGradients taps, long seed, SmallDataOptions options) {
        TrainingGraphBuilder builder = TrainingGraph.builder(SMALL, Hyperparameters.reference().in(precision)).seed(seed)
                .threads(FIXED).fixedNoise(4).smallData(options, BATCH);
        return (taps == null ? builder : builder.fp32WeightGradients(taps)).build();
    }

    /** D and G losses of {@code steps} iterations on the same inputs (and DiffAugment's parameters, where it is on). */
    private static float[] iterations(TrainingGraph training, int steps) {
        float[] losses = new float[2 * steps];
        for (int step = 0; step < steps; step++) {
            try (TFloat32 real = TestInputs.smoothImages(BATCH, step); TFloat32 z1 = TestInputs.latents(BATCH, SMALL.nz(), 10 + step);
                 TFloat32 z2 = TestInputs.latents(BATCH, SMALL.nz(), 20 + step);
                 TFloat32 a1 = augment(30 + step); TFloat32 a2 = augment(40 + step); TFloat32 a3 = augment(50 + step)) {
                boolean augmented = training.options().diffAugment();
                losses[2 * step] = augmented ? training.trainDiscriminator(real, z1, a1, a2) : training.trainDiscriminator(real, z1);
                losses[2 * step + 1] = augmented ? training.trainGenerator(z2, a3) : training.trainGenerator(z2);
            }
        }
        return losses;
    }

    /** DiffAugment's parameters per image, uniform in [0, 1). */
    private static TFloat32 augment(long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[BATCH * DiffAugment.PARAMS];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return Tensors.of(values, BATCH, DiffAugment.PARAMS);
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
}
