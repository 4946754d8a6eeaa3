package io.oshigan.dcgan;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weight gradients in float32 beside layers that compute in bfloat16. A tapped convolution reads its filter through a
 * gradient stop, so differentiation computes only its input gradient (in the layer's precision); its filter gradient
 * is then the float32 {@code Conv2DBackpropFilter} of the layer's input and the gradient at its output, both cast to
 * float32 where they are bfloat16 (a bf16 layer's output and its gradient are), as {@link #gradients} builds it. TensorFlow 2.18's oneDNN computes bfloat16 filter gradients slower than
 * float32 ones on small feature maps, on CPUs with AMX and with AVX-512 BF16 alike: the training graph taps the layers
 * {@link Fp32WeightGradients} names. One {@code WeightTaps} per forward call: the taps of the calls a loss depends on
 * go to its {@link #gradients}.
 */
public final class WeightTaps {
    /** One tapped convolution: {@code y} = conv(x, filter), or its transpose (y = the input gradient of conv(y', filter) at x). */
    private record Tap(boolean transposed, Operand<? extends TFloating> x, Variable<TFloat32> filter,
                       Operand<? extends TFloating> y, List<Long> strides, String padding) {
        /** The filter's gradient, given the loss's gradient at {@code y}: in float32, whatever x and y are in. */
        Operand<TFloat32> filterGradient(Ops tf, Operand<? extends TFloating> dy) {
            Operand<TFloat32> x32 = Precision.fp32(tf, x);
            Operand<TFloat32> dy32 = Precision.fp32(tf, dy);
            return transposed
                    ? tf.nn.conv2dBackpropFilter(dy32, tf.shape(filter), x32, strides, padding)
                    : tf.nn.conv2dBackpropFilter(x32, tf.shape(filter), dy32, strides, padding);
        }
    }

    private final List<Tap> taps = new ArrayList<>();
    private final Fp32WeightGradients which;

    /** Taps every convolution built with them. */
    WeightTaps() {
        this(Fp32WeightGradients.ALL);
    }

    /** Taps the convolutions {@code which} covers. */
    WeightTaps(Fp32WeightGradients which) {
        this.which = which;
    }

    /** {@code taps} for a layer whose smaller feature map is {@code side} wide, or null where they do not cover it. */
    static WeightTaps forLayer(WeightTaps taps, int side) {
        return taps != null && taps.which.covers(side) ? taps : null;
    }

    /** The filter as a tapped layer reads it: its value, no gradient through it (a filter that is no variable is read as is). */
    Operand<TFloat32> read(Ops tf, Operand<TFloat32> filter) {
        return filter instanceof Variable<TFloat32> ? tf.stopGradient(filter) : filter;
    }

    /** Records a convolution {@code y = conv(x, filter)} built with {@link #read}; a filter that is no variable is not tapped. */
    void conv(Operand<? extends TFloating> x, Operand<TFloat32> filter, Operand<? extends TFloating> y,
              List<Long> strides, String padding) {
        if (filter instanceof Variable<TFloat32> variable) {
            taps.add(new Tap(false, x, variable, y, strides, padding));
        }
    }

    /** Records a transposed convolution of {@code x} with {@code filter} ({@code y}) built with {@link #read}. */
    void transposed(Operand<? extends TFloating> x, Operand<TFloat32> filter, Operand<? extends TFloating> y,
                    List<Long> strides, String padding) {
        if (filter instanceof Variable<TFloat32> variable) {
            taps.add(new Tap(true, x, variable, y, strides, padding));
        }
    }

    /** Convolutions tapped. */
    int size() {
        return taps.size();
    }

    /**
     * The gradients of {@code loss} with respect to {@code variables}, in order, as {@link Graph#addGradients} gives
     * them: through the taps of {@code calls} (every forward call the loss depends on) for the filters they tapped,
     * by differentiation for the rest. A tapped filter is read nowhere else.
     */
    static Output<?>[] gradients(Graph graph, Ops tf, Operand<TFloat32> loss, List<Variable<TFloat32>> variables,
                                 List<WeightTaps> calls) {
        Map<Variable<TFloat32>, List<Integer>> tapsOf = new IdentityHashMap<>();
        List<Output<?>> targets = new ArrayList<>();
        List<Tap> all = calls.stream().flatMap(call -> call.taps.stream()).toList();
        for (Tap tap : all) {
            tapsOf.computeIfAbsent(tap.filter(), v -> new ArrayList<>()).add(targets.size());
            targets.add(tap.y().asOutput());
        }
        Map<Variable<TFloat32>, Integer> differentiated = new IdentityHashMap<>();
        for (Variable<TFloat32> variable : variables) {
            if (!tapsOf.containsKey(variable)) {
                differentiated.put(variable, targets.size());
                targets.add(variable.asOutput());
            }
        }
        @SuppressWarnings("unchecked")
        Output<? extends TFloating>[] at = (Output<? extends TFloating>[]) graph.addGradients(loss.asOutput(),
                targets.toArray(Output<?>[]::new));
        Output<?>[] result = new Output<?>[variables.size()];
        for (int i = 0; i < result.length; i++) {
            Variable<TFloat32> variable = variables.get(i);
            List<Integer> tapped = tapsOf.get(variable);
            if (tapped == null) {
                result[i] = at[differentiated.get(variable)];
                continue;
            }
            List<Operand<TFloat32>> parts = tapped.stream().map(t -> all.get(t).filterGradient(tf, at[t])).toList();
            result[i] = (parts.size() == 1 ? parts.get(0) : tf.math.addN(parts)).asOutput();
        }
        return result;
    }
}
