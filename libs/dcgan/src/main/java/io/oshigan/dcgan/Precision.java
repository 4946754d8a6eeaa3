package io.oshigan.dcgan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

import java.util.List;

/**
 * What the convolutions and matrix products compute in; the three ops below are the only places the layers' weights
 * meet their inputs (besides {@link Layers#selectTaps}, which rearranges a filter's taps, always in float32).
 * {@link #BF16} casts their weights, and inputs not already bfloat16, to bfloat16 (mixed precision), and a result stays
 * in the type it was computed in: batch norm (bfloat16 in and out, its statistics float32), ReLU and the serving
 * graph's bias take it as it is, and the next layer without a cast. LeakyReLU ({@link Layers#leakyRelu}), the image and
 * the logits are float32. Variables, Adam's state, batch-norm statistics and losses stay float32, so a checkpoint is
 * the same either way and a run may switch on resume. Casting every layer's output back to float32 and in again cost
 * 9% of a bf16 training step at the demo's width (AMD Zen 5). bfloat16 keeps float32's range (no loss scaling is
 * needed) with an 8-bit significand; CPUs with AVX-512 BF16 or AMX and GPUs since Ampere compute it natively, other
 * CPUs emulate it.
 * A convolution or product with fewer than {@link #NARROW_CHANNELS} channels on either side (D's last layer, 1
 * out; a layer of a small architecture left thin by {@link Layers#thin}'s forms) computes in float32 whatever is asked: bfloat16 kernels pack
 * channels in pairs and vectors of 16, so such a layer gains nothing, and TensorFlow 2.18's oneDNN computed thin
 * layers wrongly in bfloat16 on an AMD Zen 5 (its forward kernel for 1, 3 or 27 input channels gave results 40% off
 * and different on every run, as a kernel reading memory it never wrote would; 32 and more were right). The RGB
 * layers (D's first, G's last) run as convolutions over 32 channels instead ({@link Layers#thin}).
 */
public enum Precision {
    FP32, BF16;

    /** Channels on each side below which a layer computes in float32 (one AVX-512 vector of bfloat16 pairs is 16). */
    static final long NARROW_CHANNELS = 16;

    /** "fp32" or "bf16", in any case: as the API, the configuration and checkpoint manifests write it. */
    @JsonCreator
    public static Precision of(String name) {
        for (Precision precision : values()) {
            if (precision.name().equalsIgnoreCase(name)) {
                return precision;
            }
        }
        throw new IllegalArgumentException("precision must be fp32 or bf16, not '" + name + "'");
    }

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Why this precision will be slower than float32 on this machine, if it will: bfloat16 without bfloat16 units
     * is emulated, and with oneDNN off TensorFlow's own bfloat16 kernels are about ten times slower than float32.
     * On a GPU (Ampere and later have bfloat16 units) nothing is said.
     */
    public java.util.Optional<String> slowHere(CpuFeatures cpu, boolean onGpu, String onednnSetting) {
        if (this == FP32 || onGpu) {
            return java.util.Optional.empty();
        }
        if ("0".equals(onednnSetting)) {
            return java.util.Optional.of("bf16 with oneDNN off (TF_ENABLE_ONEDNN_OPTS=0) runs on TensorFlow's own "
                    + "kernels, about ten times slower than fp32: use fp32 here, or turn oneDNN on");
        }
        if (!cpu.hasBf16Units()) {
            return java.util.Optional.of("bf16 on a CPU without bfloat16 units (" + cpu.model()
                    + ") is emulated: correct, but slower than fp32");
        }
        return java.util.Optional.empty();
    }

    Operand<? extends TFloating> conv2d(Ops tf, Operand<? extends TFloating> x, Operand<TFloat32> filter,
                                        List<Long> strides, String padding) {
        return conv2d(tf, x, filter, strides, padding, null);
    }

    /**
     * A convolution of {@code x} (either type) in the layer's precision ({@link #forFilter}); the result stays in it.
     * With {@code taps}, the filter's gradient is left to them ({@link WeightTaps}): in float32.
     */
    Operand<? extends TFloating> conv2d(Ops tf, Operand<? extends TFloating> x, Operand<TFloat32> filter,
                                        List<Long> strides, String padding, WeightTaps taps) {
        Precision p = forFilter(filter);
        Operand<TFloat32> read = taps == null ? filter : taps.read(tf, filter);
        Operand<? extends TFloating> y = conv2d(tf, p.type(), x, read, strides, padding);
        if (taps != null) {
            taps.conv(x, filter, y, strides, padding);
        }
        return y;
    }

    /** The transposed convolution: the gradient of a convolution with respect to its input. */
    Operand<? extends TFloating> conv2dTranspose(Ops tf, Operand<TInt32> outputSize, Operand<TFloat32> filter,
                                                 Operand<? extends TFloating> x, List<Long> strides, String padding) {
        return conv2dTranspose(tf, outputSize, filter, x, strides, padding, null);
    }

    /** With {@code taps}, the filter's gradient is left to them ({@link WeightTaps}): in float32. */
    Operand<? extends TFloating> conv2dTranspose(Ops tf, Operand<TInt32> outputSize, Operand<TFloat32> filter,
                                                 Operand<? extends TFloating> x, List<Long> strides, String padding,
                                                 WeightTaps taps) {
        Precision p = forFilter(filter);
        Operand<TFloat32> read = taps == null ? filter : taps.read(tf, filter);
        Operand<? extends TFloating> y = conv2dTranspose(tf, p.type(), outputSize, read, x, strides, padding);
        if (taps != null) {
            taps.transposed(x, filter, y, strides, padding);
        }
        return y;
    }

    /** A matrix product of {@code a} (either type) in the precision for {@code b}; the result stays in it. */
    Operand<? extends TFloating> matMul(Ops tf, Operand<? extends TFloating> a, Operand<TFloat32> b) {
        Precision p = forFilter(b);
        return matMul(tf, p.type(), a, b);
    }

    private static <T extends TFloating> Operand<T> conv2d(Ops tf, Class<T> type, Operand<? extends TFloating> x,
                                                          Operand<TFloat32> filter, List<Long> strides, String padding) {
        return tf.nn.conv2d(as(tf, x, type), as(tf, filter, type), strides, padding);
    }

    private static <T extends TFloating> Operand<T> conv2dTranspose(Ops tf, Class<T> type, Operand<TInt32> outputSize,
                                                                   Operand<TFloat32> filter, Operand<? extends TFloating> x,
                                                                   List<Long> strides, String padding) {
        return tf.nn.conv2dBackpropInput(outputSize, as(tf, filter, type), as(tf, x, type), strides, padding);
    }

    private static <T extends TFloating> Operand<T> matMul(Ops tf, Class<T> type, Operand<? extends TFloating> a,
                                                          Operand<TFloat32> b) {
        return tf.linalg.matMul(as(tf, a, type), as(tf, b, type));
    }

    /** The type this precision computes in. */
    Class<? extends TFloating> type() {
        return this == FP32 ? TFloat32.class : TBfloat16.class;
    }

    /**
     * The precision for a layer whose weights are {@code filter} ([k,k,in,out], [k,k,out,in] or [in,out]: the
     * channels are its last two sizes): this one, or float32 where either is below {@link #NARROW_CHANNELS}.
     */
    Precision forFilter(Operand<TFloat32> filter) {
        org.tensorflow.ndarray.Shape shape = filter.shape();
        int n = shape.numDimensions();
        if (this == FP32 || n < 2) {
            return this;
        }
        return narrow(shape.size(n - 2)) || narrow(shape.size(n - 1)) ? FP32 : this;
    }

    private static boolean narrow(long channels) {
        return channels >= 0 && channels < NARROW_CHANNELS;
    }

    /** {@code x} in float32: itself, or cast from bfloat16. */
    static Operand<TFloat32> fp32(Ops tf, Operand<? extends TFloating> x) {
        return as(tf, x, TFloat32.class);
    }

    /** {@code x} as {@code type}: itself where it is of that type already (no op added), else cast. */
    @SuppressWarnings("unchecked")
    static <T extends TType> Operand<T> as(Ops tf, Operand<? extends TType> x, Class<T> type) {
        return x.type() == type ? (Operand<T>) x : tf.dtypes.cast(x, type);
    }
}
