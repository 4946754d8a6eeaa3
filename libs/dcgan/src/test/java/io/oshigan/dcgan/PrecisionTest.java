package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which layers {@link Precision#BF16} computes in bfloat16: the wide ones; thin ones (under 16 channels) stay float32. */
class PrecisionTest {
    private static final List<Long> UNIT = List.of(1L, 1L, 1L, 1L);

    @Test
    void aLayerWithFewerThanSixteenChannelsOnEitherSideComputesInFp32() {
        assertThat(castsOf(Precision.BF16, 4, 4, 32, 64)).as("32 -> 64").isEqualTo(3); // input, filter, output
        assertThat(castsOf(Precision.BF16, 4, 4, 16, 16)).as("16 -> 16").isEqualTo(3);
        assertThat(castsOf(Precision.BF16, 5, 5, 3, 32)).as("D's first layer, 3 in").isZero();
        assertThat(castsOf(Precision.BF16, 5, 5, 32, 3)).as("G's last layer, 3 out").isZero();
        assertThat(castsOf(Precision.BF16, 4, 4, 256, 1)).as("D's last layer, 1 out").isZero();
        assertThat(castsOf(Precision.BF16, 4, 4, 15, 64)).as("15 -> 64").isZero();
        assertThat(castsOf(Precision.FP32, 4, 4, 32, 64)).as("fp32").isZero();
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
            List<String> types = new ArrayList<>();
            for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
                types.add(it.next().type());
            }
            return (int) types.stream().filter("Cast"::equals).count();
        }
    }
}
