package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ConvTranspose2d(k, s, p)} from an n x n input to an s*n x s*n output as s*s ordinary convolutions, one per
 * output phase, interleaved by depth-to-space. Output row s*m + a receives input row m + d through filter tap
 * t = a + p - s*d, for every d that puts t in [0, k): each phase is a small VALID convolution over a padded window.
 * {@link #applyMerged} runs all phases as one convolution over the union of their windows (taps a phase does not use
 * are zero): more arithmetic, but one wide op instead of s*s narrow ones, which pays when the layer has few outputs.
 */
record SubPixel(int inSize, int kernel, int stride, int padding) {
    SubPixel {
        if ((inSize - 1) * stride + kernel - 2 * padding != inSize * stride) {
            throw new IllegalArgumentException("sub-pixel form needs an output of exactly stride * input");
        }
    }

    /** The input offsets d one phase reads, lowest first. */
    int firstOffset(int phase) {
        return Math.floorDiv(phase + padding - kernel, stride) + 1;
    }

    int lastOffset(int phase) {
        return Math.floorDiv(phase + padding, stride);
    }

    /** @param filter [k,k,out,in] flattened, as the transposed convolution takes it */
    Operand<? extends TFloating> apply(Ops tf, Operand<? extends TFloating> x, float[] filter, int inChannels,
                                       int outChannels, Precision precision) {
        int before = before();
        Operand<? extends TFloating> padded = padded(tf, x);
        List<Operand<TFloating>> phases = new ArrayList<>();
        for (int a = 0; a < stride; a++) {
            for (int b = 0; b < stride; b++) {
                int rows = lastOffset(a) - firstOffset(a) + 1;
                int columns = lastOffset(b) - firstOffset(b) + 1;
                Operand<? extends TFloating> window = tf.slice(padded,
                        tf.constant(new int[]{0, firstOffset(a) + before, firstOffset(b) + before, 0}),
                        tf.constant(new int[]{-1, inSize + rows - 1, inSize + columns - 1, -1}));
                float[] phaseFilter = phaseFilter(filter, a, b, rows, columns, inChannels, outChannels);
                // every phase's filter has the same channels, so every phase computes in the same type
                @SuppressWarnings("unchecked")
                Operand<TFloating> phase = (Operand<TFloating>) precision.conv2d(tf, window, tf.constant(Shape.of(rows, columns,
                        inChannels, outChannels), DataBuffers.of(phaseFilter, true, false)), List.of(1L, 1L, 1L, 1L), "VALID");
                phases.add(phase);
            }
        }
        return stride == 1 ? phases.get(0) : tf.nn.depthToSpace(tf.concat(phases, tf.constant(3)), (long) stride);
    }

    /**
     * All phases as one convolution whose output channels are phase-major, (a * s + b) * out + o, as depth-to-space
     * wants. The merged filter is built in the graph from {@code filter} [k,k,out,in] (a variable while training, a
     * constant when serving), so the gradient reaches the layer's own weights.
     */
    Operand<? extends TFloating> applyMerged(Ops tf, Operand<? extends TFloating> x, Operand<TFloat32> filter,
                                             int inChannels, int outChannels, Precision precision) {
        int size = before() + after() + 1;
        int channels = stride * stride * outChannels;
        int whole = Layers.wholeVectors(channels);
        // zero output channels up to whole vectors (faster kernels, as for SpaceToDepthConv), cut off again
        Operand<TFloat32> merged = tf.pad(mergedFilter(tf, filter, size, inChannels, outChannels),
                tf.constant(new int[][]{{0, 0}, {0, 0}, {0, 0}, {0, whole - channels}}), tf.constant(0f));
        Operand<? extends TFloating> y = precision.conv2d(tf, padded(tf, x), merged, List.of(1L, 1L, 1L, 1L), "VALID");
        if (whole != channels) {
            y = tf.slice(y, tf.constant(new int[]{0, 0, 0, 0}), tf.constant(new int[]{-1, -1, -1, channels}));
        }
        return stride == 1 ? y : tf.nn.depthToSpace(y, (long) stride);
    }

    /**
     * merged[u, v, i, (a * s + b) * out + o] = filter[ty, tx, o, i] with ty = a + p - s * (u - before) (tx likewise),
     * zero where the tap falls outside the kernel: a 0/1 selection of taps times the filter, then a transpose.
     */
    private Operand<TFloat32> mergedFilter(Ops tf, Operand<TFloat32> filter, int size, int inChannels, int outChannels) {
        int phases = stride * stride;
        float[] selection = new float[size * size * phases * kernel * kernel];
        for (int u = 0; u < size; u++) {
            for (int v = 0; v < size; v++) {
                for (int a = 0; a < stride; a++) {
                    for (int b = 0; b < stride; b++) {
                        int ty = a + padding - stride * (u - before());
                        int tx = b + padding - stride * (v - before());
                        if (ty >= 0 && ty < kernel && tx >= 0 && tx < kernel) {
                            int row = ((u * size + v) * stride + a) * stride + b;
                            selection[row * kernel * kernel + ty * kernel + tx] = 1f;
                        }
                    }
                }
            }
        }
        Operand<TFloat32> taps = Layers.selectTaps(tf, selection, kernel, filter); // [(u,v,a,b), (o,i)]
        Operand<TFloat32> split = tf.reshape(taps, tf.constant(new int[]{size, size, stride, stride, outChannels, inChannels}));
        Operand<TFloat32> ordered = tf.linalg.transpose(split, tf.constant(new int[]{0, 1, 5, 2, 3, 4}));
        return tf.reshape(ordered, tf.constant(new int[]{size, size, inChannels, phases * outChannels}));
    }

    /** Rows of zeros before the input: enough for the lowest offset any phase reads. */
    private int before() {
        int before = 0;
        for (int phase = 0; phase < stride; phase++) {
            before = Math.max(before, -firstOffset(phase));
        }
        return before;
    }

    private int after() {
        int after = 0;
        for (int phase = 0; phase < stride; phase++) {
            after = Math.max(after, lastOffset(phase));
        }
        return after;
    }

    private <T extends TFloating> Operand<T> padded(Ops tf, Operand<T> x) {
        return Layers.pad(tf, x, new int[][]{{0, 0}, {before(), after()}, {before(), after()}, {0, 0}});
    }

    /** The taps of phase (a, b) as a convolution filter [rows,columns,in,out]. */
    private float[] phaseFilter(float[] filter, int a, int b, int rows, int columns, int inChannels, int outChannels) {
        float[] out = new float[rows * columns * inChannels * outChannels];
        for (int u = 0; u < rows; u++) {
            int ty = a + padding - stride * (firstOffset(a) + u);
            for (int v = 0; v < columns; v++) {
                int tx = b + padding - stride * (firstOffset(b) + v);
                for (int o = 0; o < outChannels; o++) {
                    for (int i = 0; i < inChannels; i++) {
                        out[((u * columns + v) * inChannels + i) * outChannels + o] =
                                filter[((ty * kernel + tx) * outChannels + o) * inChannels + i];
                    }
                }
            }
        }
        return out;
    }
}
