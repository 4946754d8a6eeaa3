package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which layers {@link Precision#BF16} computes in bfloat16: the wide ones; thin ones (under 16 channels) stay float32.
 * What a bf16 layer's output stays in, and which ops take it so.
 */
class PrecisionTest {
    private static final List<Long> UNIT = List.of(1L, 1L, 1L, 1L);

    @Test
    void aLayerWithFewerThanSixteenChannelsOnEitherSideComputesInFp32() {
        assertThat(castsOf(Precision.BF16, 4, 4, 32, 64)).as("32 -> 64").isEqualTo(2); // input, filter
        assertThat(castsOf(Precision.BF16, 4, 4, 16, 16)).as("16 -> 16").isEqualTo(2);
        assertThat(castsOf(Precision.BF16, 5, 5, 3, 32)).as("D's first layer, 3 in").isZero();
        assertThat(castsOf(Precision.BF16, 5, 5, 32, 3)).as("G's last layer, 3 out").isZero();
        assertThat(castsOf(Precision.BF16, 4, 4, 256, 1)).as("D's last layer, 1 out").isZero();
        assertThat(castsOf(Precision.BF16, 4, 4, 15, 64)).as("15 -> 64").isZero();
        assertThat(castsOf(Precision.FP32, 4, 4, 32, 64)).as("fp32").isZero();
    }

    @Test
    void aBf16LayersOutputStaysBf16AndTheNextLayerTakesItWithoutACast() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<? extends TFloating> first = Precision.BF16.conv2d(tf, zeros(tf, Shape.of(1, 8, 8, 32)),
                    zeros(tf, Shape.of(4, 4, 32, 64)), UNIT, "SAME");
            assertThat(first.type()).isEqualTo(TBfloat16.class);
            int casts = count(graph, "Cast");
            Operand<? extends TFloating> second = Precision.BF16.conv2d(tf, first, zeros(tf, Shape.of(4, 4, 64, 64)), UNIT, "SAME");
            assertThat(second.type()).isEqualTo(TBfloat16.class);
            assertThat(count(graph, "Cast") - casts).as("the second layer casts its filter only").isEqualTo(1);
            Operand<? extends TFloating> thin = Precision.BF16.conv2d(tf, second, zeros(tf, Shape.of(4, 4, 64, 1)), UNIT, "SAME");
            assertThat(thin.type()).as("a thin layer takes bf16 in and computes in fp32").isEqualTo(TFloat32.class);
            assertThat(Precision.fp32(tf, thin)).as("fp32 of fp32 is itself").isSameAs(thin);
        }
    }

    @Test
    void inABf16NetworkBatchNormAndReluTakeTheConvolutionsOutputInBf16AndLeakyReluComputesInFp32() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Architecture demo = Architecture.demo();
            GeneratorNetwork g = new GeneratorNetwork(tf, demo, 1);
            DiscriminatorNetwork d = new DiscriminatorNetwork(tf, demo, 2);
            Hyperparameters hp = Hyperparameters.reference().in(Precision.BF16);
            Operand<TFloat32> image = g.forward(tf, zeros(tf, Shape.of(2, 1, 1, demo.nz())), true, g.runningStats(), hp).image();
            Operand<TFloat32> logits = d.forward(tf, image, true, d.runningStats(), hp).logits();
            assertThat(image.type()).isEqualTo(TFloat32.class);
            assertThat(logits.type()).isEqualTo(TFloat32.class);
            assertThat(typesOf(graph, "FusedBatchNormV3")).as("G's four, D's three").hasSize(7).containsOnly(DataType.DT_BFLOAT16);
            assertThat(typesOf(graph, "Relu")).as("G's four").hasSize(4).containsOnly(DataType.DT_BFLOAT16);
            assertThat(typesOf(graph, "LeakyRelu")).as("D's four").hasSize(4).containsOnly(DataType.DT_FLOAT);
        }
    }

    @Test
    void fp32LayersHaveNoCastInTrainingOrServing() {
        Architecture demo = Architecture.demo();
        try (Graph graph = new Graph();
             InferenceGraph served = new InferenceGraph(demo, new SessionThreads(1, 1))) {
            Ops tf = Ops.create(graph);
            GeneratorNetwork g = new GeneratorNetwork(tf, demo, 1);
            DiscriminatorNetwork d = new DiscriminatorNetwork(tf, demo, 2);
            Hyperparameters hp = Hyperparameters.reference();
            Operand<TFloat32> z = zeros(tf, Shape.of(2, 1, 1, demo.nz()));
            int initialisers = count(graph, "Cast"); // tf.zeros in the variables' initial values
            d.forward(tf, g.forward(tf, z, true, g.runningStats(), hp).image(), true, d.runningStats(), hp);
            served.initialize();
            ServingGraph.layers(tf, z, demo, served.variables()::read, Precision.FP32);
            assertThat(count(graph, "Conv2D")).as("the graph holds the layers").isPositive();
            assertThat(count(graph, "Cast") - initialisers).as("casts in the layers").isZero();
        }
    }

    @Test
    void theRuleReadsTheLastTwoSizesOfAnyWeightShape() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            assertThat(Precision.BF16.forFilter(tf.placeholder(TFloat32.class)))
                    .as("shape known only when run").isEqualTo(Precision.BF16);
            assertThat(Precision.BF16.forFilter(zeros(tf, Shape.of(4, 4, 3, 64))))
                    .as("a transposed convolution's [k,k,out,in], 3 out").isEqualTo(Precision.FP32);
            assertThat(Precision.BF16.forFilter(zeros(tf, Shape.of(100, 4096))))
                    .isEqualTo(Precision.BF16);
            assertThat(Precision.BF16.forFilter(zeros(tf, Shape.of(100, 12))))
                    .isEqualTo(Precision.FP32);
        }
    }

    private static Operand<TFloat32> zeros(Ops tf, Shape shape) {
        return tf.constant(shape, DataBuffers.ofFloats(shape.size()));
    }

    /** Cast ops in a graph holding one convolution of a 1x8x8xin input with a k x k x in x out filter. */
    private static int castsOf(Precision precision, int kh, int kw, int in, int out) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> x = zeros(tf, Shape.of(1, 8, 8, in));
            Operand<TFloat32> filter = zeros(tf, Shape.of(kh, kw, in, out));
            precision.conv2d(tf, x, filter, UNIT, "SAME");
            return count(graph, "Cast");
        }
    }

    /** The type ("T") each op of {@code type} computes in. */
    private static List<DataType> typesOf(Graph graph, String type) {
        return operations(graph, type).stream().map(op -> op.attributes().getAttrType("T")).toList();
    }

    private static int count(Graph graph, String type) {
        return operations(graph, type).size();
    }

    private static List<GraphOperation> operations(Graph graph, String type) {
        List<GraphOperation> found = new ArrayList<>();
        for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
            GraphOperation op = it.next();
            if (op.type().equals(type)) {
                found.add(op);
            }
        }
        return found;
    }
}
