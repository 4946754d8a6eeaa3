package io.oshigan.dcgan;

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
import static org.assertj.core.api.Assertions.within;

/**
 * A strided layer with a thin image side (D's first, G's last) runs as one stride-1 convolution
 * ({@link SpaceToDepthConv}, {@link SubPixel#applyMerged}): its output and both gradients, to its input and to its
 * own weights (a variable, as in training), equal the plain convolution's, padding done by hand and VALID.
 */
class ThinLayersTest {
    private static final int BATCH = 2;

    @ParameterizedTest(name = "Conv2d(k{1}, s{2}, p{3}) {0}x{0}, {4} -> {5} channels")
    @CsvSource({"96,5,3,1,3,8", "64,4,2,1,3,8", "17,3,2,0,1,16", "12,4,3,2,3,4"})
    void aConvolutionOnFewChannelsEqualsThePlainOneWithBothGradients(int in, int k, int s, int p, int c, int o) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Variable<TFloat32> x = TestInputs.gaussianVariable(tf, Shape.of(BATCH, in, in, c), 1);
            Variable<TFloat32> w = TestInputs.gaussianVariable(tf, Shape.of(k, k, c, o), 2);
            Operand<TFloat32> thin = Precision.fp32(tf, Layers.conv2d(tf, x, w, in, k, s, p, Precision.FP32));
            Operand<TFloat32> padded = tf.pad(x, tf.constant(new int[][]{{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
            Operand<TFloat32> plain = tf.nn.conv2d(padded, w, List.of(1L, (long) s, (long) s, 1L), "VALID");
            assertThat(types(graph)).as("the thin form ran").contains("SpaceToDepth");
            assertThat(plain.shape()).isEqualTo(Shape.of(BATCH, Layers.convOutSize(in, k, s, p), Layers.convOutSize(in, k, s, p), o));
            assertSameWithGradients(graph, tf, x, w, thin, plain);
        }
    }

    @org.junit.jupiter.api.Test
    void aThinConvolutionThatLeavesInputRowsUnreadKeepsThePlainForm() {
        assertThat(SpaceToDepthConv.fits(10, 2, 3, 0)).as("k2 s3 on 10: row 9 unread").isFalse();
        assertThat(SpaceToDepthConv.fits(96, 5, 3, 1)).isTrue();
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Variable<TFloat32> x = TestInputs.gaussianVariable(tf, Shape.of(BATCH, 10, 10, 3), 1);
            Variable<TFloat32> w = TestInputs.gaussianVariable(tf, Shape.of(2, 2, 3, 8), 2);
            Operand<TFloat32> y = Precision.fp32(tf, Layers.conv2d(tf, x, w, 10, 2, 3, 0, Precision.FP32));
            assertThat(y.shape()).isEqualTo(Shape.of(BATCH, 3, 3, 8));
        }
    }

    @ParameterizedTest(name = "ConvTranspose2d(k{1}, s{2}, p{3}) {0}x{0}, {4} -> {5} channels")
    @CsvSource({"32,5,3,1,8,3", "16,4,2,1,16,3", "5,4,2,1,20,1"})
    void aTransposedConvolutionToFewChannelsEqualsThePlainOneWithBothGradients(int in, int k, int s, int p, int c, int o) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Variable<TFloat32> x = TestInputs.gaussianVariable(tf, Shape.of(BATCH, in, in, c), 3);
            Variable<TFloat32> w = TestInputs.gaussianVariable(tf, Shape.of(k, k, o, c), 4);
            Operand<TFloat32> thin = Precision.fp32(tf, Layers.convTranspose2d(tf, x, w, in, k, s, p, o, Precision.FP32));
            int full = Layers.transposedOutSize(in, k, s, 0);
            int out = Layers.transposedOutSize(in, k, s, p);
            Operand<TFloat32> whole = tf.nn.conv2dBackpropInput(tf.constant(new int[]{BATCH, full, full, o}), w, x,
                    List.of(1L, (long) s, (long) s, 1L), "VALID");
            Operand<TFloat32> plain = tf.slice(whole, tf.constant(new int[]{0, p, p, 0}), tf.constant(new int[]{-1, out, out, -1}));
            assertThat(graph.operation(thin.op().name()).type()).as("the thin form ran").isEqualTo("DepthToSpace");
            assertSameWithGradients(graph, tf, x, w, thin, plain);
        }
    }

    /** Both outputs, and the gradients of a random linear function of each to x and w, agree within 1e-4. */
    private static void assertSameWithGradients(Graph graph, Ops tf, Variable<TFloat32> x, Variable<TFloat32> w,
                                                Operand<TFloat32> thin, Operand<TFloat32> plain) {
        Operand<TFloat32> weights = TestInputs.gaussianVariable(tf, plain.shape(), 5);
        Output<?>[] thinGrads = gradients(graph, tf, thin, weights, x, w);
        Output<?>[] plainGrads = gradients(graph, tf, plain, weights, x, w);
        try (Session session = new Session(graph)) {
            session.initialize();
            try (Result r = session.runner().fetch(thin).fetch(plain).fetch(thinGrads[0]).fetch(plainGrads[0])
                    .fetch(thinGrads[1]).fetch(plainGrads[1]).run()) {
                String[] what = {"output", "input gradient", "weight gradient"};
                for (int i = 0; i < 3; i++) {
                    assertThat(r.get(2 * i).shape()).as(what[i]).isEqualTo(r.get(2 * i + 1).shape());
                    float[] got = Tensors.values((TFloat32) r.get(2 * i));
                    float[] want = Tensors.values((TFloat32) r.get(2 * i + 1));
                    for (int j = 0; j < want.length; j++) {
                        assertThat(got[j]).as("%s %d", what[i], j).isCloseTo(want[j], within(1e-4f * (1 + Math.abs(want[j]))));
                    }
                }
            }
        }
    }

    private static Output<?>[] gradients(Graph graph, Ops tf, Operand<TFloat32> y, Operand<TFloat32> weights,
                                         Variable<TFloat32> x, Variable<TFloat32> w) {
        Operand<TFloat32> objective = tf.reduceSum(tf.math.mul(y, weights), tf.constant(new int[]{0, 1, 2, 3}));
        return graph.addGradients(objective.asOutput(), new Output<?>[]{x.asOutput(), w.asOutput()});
    }

    private static List<String> types(Graph graph) {
        List<String> types = new java.util.ArrayList<>();
        graph.operations().forEachRemaining(op -> types.add(op.type()));
        return types;
    }
}
