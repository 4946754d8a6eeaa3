package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

import java.util.ArrayList;
import java.util.List;

/**
 * The generator: z [N,1,1,nz] to images [N,96,96,3] in [-1, 1]. Four ConvTranspose2d + BatchNorm + ReLU blocks
 * (1 -> 4 -> 8 -> 16 -> 32) and a final ConvTranspose2d(k5, s3, p1) + tanh (32 -> 96). Variables: G_w0..G_w4,
 * G_bn0..G_bn3.
 */
public final class GeneratorNetwork extends Network {
    public static final String PREFIX = "G";
    /** Per layer: input size, kernel, stride, padding. */
    static final int[][] LAYERS = {{1, 4, 1, 0}, {4, 4, 2, 1}, {8, 4, 2, 1}, {16, 4, 2, 1}, {32, 5, 3, 1}};

    private final Architecture architecture;
    private final int[] channels;

    /** G's weights in values (its kernels; batch norm's few left out). */
    public static long parameters(Architecture architecture) {
        int[] channels = architecture.generatorChannels();
        long total = 0;
        for (int i = 0; i < LAYERS.length; i++) {
            total += (long) LAYERS[i][1] * LAYERS[i][1] * channels[i] * channels[i + 1];
        }
        return total;
    }

    GeneratorNetwork(Ops tf, Architecture architecture, long seed) {
        this(tf, architecture, seed, PREFIX);
    }

    /** A generator with its own variables under another prefix (the moving-average copy). */
    GeneratorNetwork(Ops tf, Architecture architecture, long seed, String prefix) {
        this.architecture = architecture;
        this.channels = architecture.generatorChannels();
        Variables variables = new Variables(tf, seed);
        for (int i = 0; i < LAYERS.length; i++) {
            int k = LAYERS[i][1];
            weights.add(variables.weight(prefix + "_w" + i, k, k, channels[i + 1], channels[i]));
            if (i < LAYERS.length - 1) {
                norms.add(variables.batchNorm(prefix + "_bn" + i, channels[i + 1]));
            }
        }
    }

    /**
     * The image, each layer's output (for inspection), and each batch norm's running statistics after this call
     * (the input ones in inference mode).
     */
    public record Result(Operand<TFloat32> image, List<Operand<TFloat32>> layers, List<BatchNormVariables.Stats> statsAfter) {
    }

    public Result forward(Ops tf, Operand<TFloat32> z, boolean training, List<BatchNormVariables.Stats> statsIn,
                          Hyperparameters hp) {
        return forward(tf, z, training, statsIn, hp, null);
    }

    /** With {@code taps} (null: none), the filters' gradients are left to them: in float32 ({@link WeightTaps}). */
    Result forward(Ops tf, Operand<TFloat32> z, boolean training, List<BatchNormVariables.Stats> statsIn,
                   Hyperparameters hp, WeightTaps taps) {
        Operand<? extends TFloating> x = z;
        List<Operand<TFloat32>> layers = new ArrayList<>();
        List<BatchNormVariables.Stats> after = new ArrayList<>();
        for (int i = 0; i < LAYERS.length; i++) {
            int[] l = LAYERS[i];
            x = Layers.convTranspose2d(tf, x, weights.get(i), l[0], l[1], l[2], l[3], channels[i + 1], hp.precision(), taps);
            if (i < LAYERS.length - 1) {
                Layers.Normalized n = Layers.batchNorm(tf, x, norms.get(i), statsIn.get(i), training, hp);
                after.add(n.statsAfter());
                x = tf.nn.relu(n.y());
            } else {
                x = tf.math.tanh(Precision.fp32(tf, x));
            }
            layers.add(Precision.fp32(tf, x)); // for inspection: in bf16 a cast, run only where fetched
        }
        return new Result(Precision.fp32(tf, x), layers, after);
    }

    public Architecture architecture() {
        return architecture;
    }
}
