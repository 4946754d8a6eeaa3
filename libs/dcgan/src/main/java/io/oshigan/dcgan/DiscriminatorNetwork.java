package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

import java.util.ArrayList;
import java.util.List;

/**
 * The discriminator: images [N,96,96,3] to one logit per image [N] (the reference's sigmoid output is
 * sigmoid(logit); the loss works on logits for stability). Conv2d(k5, s3, p1) + LeakyReLU (96 -> 32), three
 * Conv2d(k4, s2, p1) + BatchNorm + LeakyReLU blocks (32 -> 16 -> 8 -> 4), Conv2d(k4, s1, p0) (4 -> 1).
 * Variables: D_w0..D_w4, D_bn1..D_bn3 (numbered after the convolution they follow).
 */
public final class DiscriminatorNetwork extends Network {
    public static final String PREFIX = "D";
    /** Per layer: kernel, stride, padding. */
    static final int[][] LAYERS = {{5, 3, 1}, {4, 2, 1}, {4, 2, 1}, {4, 2, 1}, {4, 1, 0}};
    static final int[] IN_SIZES = {96, 32, 16, 8, 4};

    /** D's weights in values (its kernels; batch norm's few left out). */
    public static long parameters(Architecture architecture) {
        int[] channels = architecture.discriminatorChannels();
        long total = 0;
        for (int i = 0; i < LAYERS.length; i++) {
            total += (long) LAYERS[i][0] * LAYERS[i][0] * channels[i] * channels[i + 1];
        }
        return total;
    }

    DiscriminatorNetwork(Ops tf, Architecture architecture, long seed) {
        int[] channels = architecture.discriminatorChannels();
        Variables variables = new Variables(tf, seed);
        for (int i = 0; i < LAYERS.length; i++) {
            int k = LAYERS[i][0];
            weights.add(variables.weight(PREFIX + "_w" + i, k, k, channels[i], channels[i + 1]));
            if (i >= 1 && i <= 3) {
                norms.add(variables.batchNorm(PREFIX + "_bn" + i, channels[i + 1]));
            }
        }
    }

    /** One logit per image, each layer's output (for inspection), the running statistics after this call. */
    public record Result(Operand<TFloat32> logits, List<Operand<TFloat32>> layers, List<BatchNormVariables.Stats> statsAfter) {
    }

    public Result forward(Ops tf, Operand<TFloat32> images, boolean training, List<BatchNormVariables.Stats> statsIn,
                          Hyperparameters hp) {
        return forward(tf, images, training, statsIn, hp, null);
    }

    /** With {@code taps} (null: none), the filters' gradients are left to them: in float32 ({@link WeightTaps}). */
    Result forward(Ops tf, Operand<TFloat32> images, boolean training, List<BatchNormVariables.Stats> statsIn,
                   Hyperparameters hp, WeightTaps taps) {
        Operand<? extends TFloating> x = images;
        List<Operand<TFloat32>> layers = new ArrayList<>();
        List<BatchNormVariables.Stats> after = new ArrayList<>();
        for (int i = 0; i < LAYERS.length; i++) {
            x = Layers.conv2d(tf, x, weights.get(i), IN_SIZES[i], LAYERS[i][0], LAYERS[i][1], LAYERS[i][2],
                    hp.precision(), taps);
            if (i >= 1 && i <= 3) {
                Layers.Normalized n = Layers.batchNorm(tf, x, norms.get(i - 1), statsIn.get(i - 1), training, hp);
                after.add(n.statsAfter());
                x = n.y();
            }
            if (i < LAYERS.length - 1) {
                x = Layers.leakyRelu(tf, x, hp.leakySlope());
            }
            layers.add(Precision.fp32(tf, x)); // for inspection: in bf16 a cast, run only where fetched
        }
        return new Result(tf.reshape(Precision.fp32(tf, x), tf.constant(new int[]{-1})), layers, after);
    }

}
