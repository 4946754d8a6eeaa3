package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

import java.util.List;

/**
 * PyTorch's layers in TensorFlow ops, NHWC. The forms are chosen because their gradients work in TF Java 1.1.0:
 * an EXPLICIT-padding Conv2D runs forward but its gradient fails, so padding is a separate op.
 */
final class Layers {
    private Layers() {
    }

    /**
     * {@code Conv2d(k, s, p, bias=False)}: where TensorFlow's SAME padding is exactly p on each border, SAME; else pad
     * p, then a VALID convolution. Filter [k,k,in,out]. A strided one on few input channels: {@link SpaceToDepthConv}.
     */
    static Operand<? extends TFloating> conv2d(Ops tf, Operand<? extends TFloating> x, Operand<TFloat32> filter,
                                               int inSize, int kernel, int stride, int padding, Precision precision) {
        return conv2d(tf, x, filter, inSize, kernel, stride, padding, precision, null);
    }

    /** With {@code taps} (null: none), a filter read as it is takes its gradient from them ({@link WeightTaps}). */
    static Operand<? extends TFloating> conv2d(Ops tf, Operand<? extends TFloating> x, Operand<TFloat32> filter,
                                               int inSize, int kernel, int stride, int padding, Precision precision,
                                               WeightTaps taps) {
        if (thin(filter.shape(), 2) && SpaceToDepthConv.fits(inSize, kernel, stride, padding)) {
            return new SpaceToDepthConv(inSize, kernel, stride, padding).apply(tf, x, filter, precision);
        }
        List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
        WeightTaps layerTaps = WeightTaps.forLayer(taps, convOutSize(inSize, kernel, stride, padding));
        if (padding > 0 && sameIsSymmetric(inSize, kernel, stride, padding)) {
            return precision.conv2d(tf, x, filter, strides, "SAME", layerTaps);
        }
        Operand<? extends TFloating> padded = padding == 0 ? x
                : pad(tf, x, new int[][]{{0, 0}, {padding, padding}, {padding, padding}, {0, 0}});
        return precision.conv2d(tf, padded, filter, strides, "VALID", layerTaps);
    }

    /** {@code Conv2d(k, s, p)}'s output width for an input {@code in} wide. */
    static int convOutSize(int in, int kernel, int stride, int padding) {
        return (in + 2 * padding - kernel) / stride + 1;
    }

    /** {@code ConvTranspose2d(k, s, p)}'s output width for an input {@code in} wide. */
    static int transposedOutSize(int in, int kernel, int stride, int padding) {
        return (in - 1) * stride + kernel - 2 * padding;
    }

    /** TensorFlow's SAME pads (out - 1) * s + k - in in total, the extra one at the end: equal to p, p when that is 2p. */
    static boolean sameIsSymmetric(int inSize, int kernel, int stride, int padding) {
        int out = convOutSize(inSize, kernel, stride, padding);
        return out == (inSize + stride - 1) / stride && (out - 1) * stride + kernel - inSize == 2 * padding;
    }

    /**
     * {@code ConvTranspose2d(k, s, p, bias=False)}: the full transposed convolution, (in - 1) * s + k wide, with p
     * rows and columns then cut from each border. Filter [k,k,out,in]; the batch size is read from x. A strided one
     * to few output channels whose output is stride times its input: {@link SubPixel#applyMerged}.
     */
    static Operand<? extends TFloating> convTranspose2d(Ops tf, Operand<? extends TFloating> x,
                                                        Operand<TFloat32> filter, int inSize, int kernel, int stride,
                                                        int padding, int outChannels, Precision precision) {
        return convTranspose2d(tf, x, filter, inSize, kernel, stride, padding, outChannels, precision, null);
    }

    /** With {@code taps} (null: none), a filter read as it is takes its gradient from them ({@link WeightTaps}). */
    static Operand<? extends TFloating> convTranspose2d(Ops tf, Operand<? extends TFloating> x,
                                                        Operand<TFloat32> filter, int inSize, int kernel, int stride,
                                                        int padding, int outChannels, Precision precision,
                                                        WeightTaps taps) {
        int full = transposedOutSize(inSize, kernel, stride, 0);
        int out = transposedOutSize(inSize, kernel, stride, padding);
        if (stride > 1 && out == stride * inSize && thin(filter.shape(), 2)) {
            long inChannels = filter.shape().size(3);
            return new SubPixel(inSize, kernel, stride, padding).applyMerged(tf, x, filter, Math.toIntExact(inChannels),
                    outChannels, precision);
        }
        List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
        WeightTaps layerTaps = WeightTaps.forLayer(taps, inSize);
        Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[]{0}), tf.constant(new int[]{1}));
        if (padding > 0 && sameIsSymmetric(out, kernel, stride, padding)) {
            // the transpose of a SAME convolution from out to in: no full-size output to cut down
            Operand<TInt32> sizes = tf.concat(List.of(batch, tf.constant(new int[]{out, out, outChannels})), tf.constant(0));
            return precision.conv2dTranspose(tf, sizes, filter, x, strides, "SAME", layerTaps);
        }
        Operand<TInt32> sizes = tf.concat(List.of(batch, tf.constant(new int[]{full, full, outChannels})), tf.constant(0));
        Operand<? extends TFloating> y = precision.conv2dTranspose(tf, sizes, filter, x, strides, "VALID", layerTaps);
        if (padding == 0) {
            return y;
        }
        return tf.slice(y, tf.constant(new int[]{0, padding, padding, 0}), tf.constant(new int[]{-1, out, out, -1}));
    }

    /**
     * LeakyReLU, in float32 whatever {@code x} is in: TensorFlow 2.18 has no oneDNN kernel for its gradient, and its
     * own for bfloat16 took 45 ms of a 360 ms bf16 step at the demo's width on an AMD Zen 5 (float32's: 2.5 ms, and the
     * casts either side less than that); written as relu and products in bfloat16 it was slower still.
     */
    static Operand<TFloat32> leakyRelu(Ops tf, Operand<? extends TFloating> x, float slope) {
        return tf.nn.leakyRelu(Precision.fp32(tf, x), LeakyRelu.alpha(slope));
    }

    /** {@code x} padded with zeros of its own type. */
    static <T extends TFloating> Operand<T> pad(Ops tf, Operand<T> x, int[][] paddings) {
        return tf.pad(x, tf.constant(paddings), Precision.as(tf, tf.constant(0f), x.type()));
    }

    /**
     * Whether a filter's image side is thin: dimension {@code dim} (a convolution's inputs, a transposed
     * convolution's outputs) known and under {@link #THIN_CHANNELS}. A strided layer with so few channels there (D's
     * first, on the RGB image; G's last, to it) runs another way: oneDNN's kernels for it use a small part of each
     * vector, and its transposed convolution ran on an AVX2 kernel at about 1% of the CPU's peak, an eighth of a
     * training step on an AMD Zen 5. {@link SpaceToDepthConv} and {@link SubPixel#applyMerged} turn it into one
     * stride-1 convolution with s*s times the channels on that side; the result is the same.
     */
    static boolean thin(org.tensorflow.ndarray.Shape filter, int dim) {
        if (filter.numDimensions() != 4) {
            return false;
        }
        long channels = filter.size(dim);
        return channels > 0 && channels < THIN_CHANNELS;
    }

    /** Channels on a layer's image side below which a strided layer runs as a stride-1 convolution (see {@link #thin}). */
    static final int THIN_CHANNELS = 16;

    /** Channels rounded up to whole vectors of {@link #THIN_CHANNELS} (16 floats: one AVX-512 register). */
    static int wholeVectors(int channels) {
        return (channels + THIN_CHANNELS - 1) / THIN_CHANNELS * THIN_CHANNELS;
    }

    /**
     * A 0/1 selection [rows, k*k] of a filter's k x k taps times the filter [k,k,c1,c2]: [rows, c1*c2], each row one
     * tap (or zeros). In float32 whatever the layer computes in: a rearrangement, exact, with the filter's gradient.
     */
    static Operand<TFloat32> selectTaps(Ops tf, float[] selection, int kernel, Operand<TFloat32> filter) {
        int rows = selection.length / (kernel * kernel);
        Operand<TFloat32> flat = tf.reshape(filter, tf.constant(new int[]{kernel * kernel, -1}));
        return tf.linalg.matMul(tf.constant(org.tensorflow.ndarray.Shape.of(rows, (long) kernel * kernel),
                org.tensorflow.ndarray.buffer.DataBuffers.of(selection, true, false)), flat);
    }

    /** A batch-norm call and the running statistics after it. */
    record Normalized(Operand<? extends TFloating> y, BatchNormVariables.Stats statsAfter) {
    }

    /**
     * {@code x} in float32 or bfloat16, normalised in its own type (the statistics are float32 either way).
     * Training mode: normalise with the batch's statistics, and fold them into the running statistics given
     * (PyTorch's momentum, unbiased variance). Inference mode: normalise with the running statistics.
     */
    static Normalized batchNorm(Ops tf, Operand<? extends TFloating> x, BatchNormVariables bn,
                                BatchNormVariables.Stats statsIn, boolean training, Hyperparameters hp) {
        FusedBatchNorm<? extends TFloating, TFloat32> norm = tf.nn.fusedBatchNorm(x, bn.gamma(), bn.beta(),
                statsIn.mean(), statsIn.variance(),
                FusedBatchNorm.epsilon(hp.batchNormEpsilon()),
                FusedBatchNorm.isTraining(training),
                FusedBatchNorm.exponentialAvgFactor(training ? hp.batchNormMomentum() : 1f));
        // in training mode with an averaging factor, the op's batch mean/variance outputs are the updated averages
        BatchNormVariables.Stats after = training ? new BatchNormVariables.Stats(norm.batchMean(), norm.batchVariance())
                : statsIn;
        return new Normalized(norm.y(), after);
    }
}
