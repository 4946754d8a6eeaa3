package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The serving rewrite computes what the training-named inference graph computes. */
class ServingGraphTest {
    private static final Architecture SMALL = new Architecture(20, 8, 8);

    @ParameterizedTest(name = "ConvTranspose2d(k{1}, s{2}, p{3}) from {0}x{0}")
    @CsvSource({"4,4,2,1", "8,4,2,1", "32,5,3,1", "3,3,1,1"})
    void subPixelConvolutionEqualsTheTransposedConvolution(int in, int kernel, int stride, int padding) {
        int inChannels = 5;
        int outChannels = 3;
        float[] filter = gaussian(kernel * kernel * outChannels * inChannels, 1);
        float[] input = gaussian(2 * in * in * inChannels, 2);
        float[] expected;
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, in, in, inChannels)));
            Operand<TFloat32> constantFilter = tf.constant(Shape.of(kernel, kernel, outChannels, inChannels),
                    DataBuffers.of(filter, true, false));
            // the reference: TensorFlow's transposed convolution itself, full size, cut down by the padding (Layers runs
            // layers to few channels in the merged form, so it is not the reference here)
            int full = Layers.transposedOutSize(in, kernel, stride, 0);
            int out = Layers.transposedOutSize(in, kernel, stride, padding);
            Operand<TInt32> sizes = tf.concat(List.of(tf.slice(tf.shape(x), tf.constant(new int[]{0}), tf.constant(new int[]{1})),
                    tf.constant(new int[]{full, full, outChannels})), tf.constant(0));
            Operand<TFloat32> transposed = tf.slice(tf.nn.conv2dBackpropInput(sizes, constantFilter, x,
                    List.of(1L, (long) stride, (long) stride, 1L), "VALID"),
                    tf.constant(new int[]{0, padding, padding, 0}), tf.constant(new int[]{-1, out, out, -1}));
            SubPixel form = new SubPixel(in, kernel, stride, padding);
            Operand<TFloat32> perPhase = Precision.fp32(tf, form.apply(tf, x, filter, inChannels, outChannels, Precision.FP32));
            Operand<TFloat32> merged = Precision.fp32(tf, form.applyMerged(tf, x, constantFilter, inChannels, outChannels, Precision.FP32));
            try (Session session = new Session(graph); TFloat32 batch = Tensors.of(input, 2, in, in, inChannels);
                 Result result = session.runner().feed(x, batch).fetch(transposed).fetch(perPhase).fetch(merged).run()) {
                expected = Tensors.values((TFloat32) result.get(0));
                assertThat(expected.length).isEqualTo(2 * in * stride * in * stride * outChannels);
                for (int variant = 1; variant <= 2; variant++) {
                    assertThat(result.get(variant).shape()).isEqualTo(result.get(0).shape());
                    float[] actual = Tensors.values((TFloat32) result.get(variant));
                    for (int i = 0; i < expected.length; i++) {
                        assertThat(actual[i]).as("variant %d, value %d", variant, i).isCloseTo(expected[i], within(1e-4f));
                    }
                }
            }
        }
    }

    @Test
    void subPixelFormNeedsAnOutputOfStrideTimesTheInput() {
        assertThatThrownBy(() -> new SubPixel(1, 4, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void servingGraphGivesTheInferenceGraphsImagesWithBatchNormFolded() {
        try (InferenceGraph reference = new InferenceGraph(SMALL, SessionThreads.defaults())) {
            reference.initialize();
            Random random = new Random(3);
            for (int i = 0; i < 4; i++) {
                int channels = reference.variables().read("G_bn" + i + "_mean").length;
                reference.variables().write("G_bn" + i + "_mean", values(channels, () -> (float) random.nextGaussian() * 0.3f));
                reference.variables().write("G_bn" + i + "_var", values(channels, () -> 0.2f + random.nextFloat()));
                reference.variables().write("G_bn" + i + "_beta", values(channels, () -> (float) random.nextGaussian() * 0.2f));
            }
            float[] z = gaussian(7 * SMALL.nz(), 4);
            try (ServingGraph serving = ServingGraph.of(reference, SessionThreads.defaults());
                 TFloat32 latents = Tensors.of(z, 7, 1, 1, SMALL.nz())) {
                float[] expected = reference.generate(latents);
                List<float[]> parts = serving.generate(latents, new int[]{2, 5});
                assertThat(parts.get(0)).hasSize(2 * 96 * 96 * 3);
                assertThat(parts.get(1)).hasSize(5 * 96 * 96 * 3);
                float[] actual = new float[expected.length];
                System.arraycopy(parts.get(0), 0, actual, 0, parts.get(0).length);
                System.arraycopy(parts.get(1), 0, actual, parts.get(0).length, parts.get(1).length);
                double maxDifference = 0;
                for (int i = 0; i < expected.length; i++) {
                    maxDifference = Math.max(maxDifference, Math.abs(actual[i] - expected[i]));
                }
                assertThat(maxDifference).isLessThan(1e-5);
                assertThat(serving.generate(latents)).containsExactly(actual);
            }
        }
    }

    @Test
    void weightsOfAnotherArchitectureAreRefusedByName() {
        try (InferenceGraph reference = new InferenceGraph(SMALL, SessionThreads.defaults())) {
            reference.initialize();
            Architecture wider = new Architecture(20, 16, 8);
            assertThatThrownBy(() -> new ServingGraph(wider, reference.variables()::read, SessionThreads.defaults(), Precision.FP32))
                    .isInstanceOf(IncompatibleCheckpointException.class)
                    .hasMessageContaining("G_w0");
        }
    }

    private static float[] gaussian(int n, long seed) {
        Random random = new Random(seed);
        return values(n, () -> (float) random.nextGaussian());
    }

    private static float[] values(int n, java.util.function.Supplier<Float> next) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = next.get();
        }
        return values;
    }
}
