package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

import java.util.List;

/**
 * {@code Conv2d(k, s, p)} on an input with few channels (the RGB image) as space-to-depth and one stride-1
 * convolution: the padded input is cut into s x s blocks, each block's s*s*c values become one position's channels,
 * and a ceil(k/s) x ceil(k/s) convolution over the blocks applies the k x k filter (taps past k are zero). Output
 * position j reads padded rows s*j .. s*j + k - 1, which lie in blocks j .. j + ceil(k/s) - 1. The same result with
 * s*s times the input channels, zero-padded to whole vectors of 16 ({@link Layers#thin}).
 */
record SpaceToDepthConv(int inSize, int kernel, int stride, int padding) {
    SpaceToDepthConv {
        if (!fits(inSize, kernel, stride, padding)) {
            throw new IllegalArgumentException("space-to-depth form needs a stride above 1 and every input row read");
        }
    }

    /** Whether the form applies: a stride above 1, and the last block the convolution reads ends past the input. */
    static boolean fits(int inSize, int kernel, int stride, int padding) {
        return stride > 1 && trailing(inSize, kernel, stride, padding) >= 0;
    }

    /** Blocks a filter spans: ceil(k / s). */
    int blocks() {
        return (kernel + stride - 1) / stride;
    }

    /** Rows of zeros after the input: the blocks the last output reads, past the input and its leading padding. */
    private static int trailing(int inSize, int kernel, int stride, int padding) {
        int out = Layers.convOutSize(inSize, kernel, stride, padding);
        int blocks = (kernel + stride - 1) / stride;
        return stride * (out - 1 + blocks) - inSize - padding;
    }

    /** @param filter [k,k,in,out], as the convolution takes it */
    Operand<? extends TFloating> apply(Ops tf, Operand<? extends TFloating> x, Operand<TFloat32> filter,
                                       Precision precision) {
        int after = trailing(inSize, kernel, stride, padding);
        Operand<? extends TFloating> padded = Layers.pad(tf, x, new int[][]{{0, 0}, {padding, after}, {padding, after}, {0, 0}});
        Operand<? extends TFloating> blocked = tf.nn.spaceToDepth(padded, (long) stride);
        int channels = stride * stride * Math.toIntExact(filter.shape().size(2));
        int whole = Layers.wholeVectors(channels);
        // zero channels up to whole vectors: the kernels run faster, and TensorFlow 2.18's oneDNN computed bf16 with an
        // odd count of input channels wrongly on an AMD Zen 5
        Operand<? extends TFloating> input = Layers.pad(tf, blocked, new int[][]{{0, 0}, {0, 0}, {0, 0}, {0, whole - channels}});
        Operand<TFloat32> merged = tf.pad(mergedFilter(tf, filter),
                tf.constant(new int[][]{{0, 0}, {0, 0}, {0, whole - channels}, {0, 0}}), tf.constant(0f));
        return precision.conv2d(tf, input, merged, List.of(1L, 1L, 1L, 1L), "VALID");
    }

    /**
     * merged[bu, bv, (r * s + c) * in + i, o] = filter[bu * s + r, bv * s + c, i, o], zero past the kernel: the
     * channel order of space-to-depth (the position in the block first, then the channel).
     */
    private Operand<TFloat32> mergedFilter(Ops tf, Operand<TFloat32> filter) {
        int kb = blocks();
        float[] selection = new float[kb * kb * stride * stride * kernel * kernel];
        for (int bu = 0; bu < kb; bu++) {
            for (int bv = 0; bv < kb; bv++) {
                for (int r = 0; r < stride; r++) {
                    for (int c = 0; c < stride; c++) {
                        int ty = bu * stride + r;
                        int tx = bv * stride + c;
                        if (ty < kernel && tx < kernel) {
                            int row = ((bu * kb + bv) * stride + r) * stride + c;
                            selection[row * kernel * kernel + ty * kernel + tx] = 1f;
                        }
                    }
                }
            }
        }
        long in = filter.shape().size(2);
        long out = filter.shape().size(3);
        return tf.reshape(Layers.selectTaps(tf, selection, kernel, filter),
                tf.constant(new long[]{kb, kb, stride * stride * in, out}));
    }
}
