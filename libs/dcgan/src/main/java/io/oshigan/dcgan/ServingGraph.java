package io.oshigan.dcgan;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * G for serving: the same function as {@link InferenceGraph}, rewritten for speed once its weights are known. The
 * weights become constants with each batch norm folded into the layer before it (scale into the filter, shift into a
 * bias), the 1x1 -> 4x4 layer becomes a matrix product, and the 4x4 -> 8x8 layer becomes one ordinary convolution per
 * output phase (see {@link SubPixel}): oneDNN's transposed convolution re-lays its filter out on every call, which for
 * that layer's 2M weights cost more than the arithmetic for a few images. The RGB layer (3 outputs, stride 3) runs as
 * one convolution to 27 channels (zero-padded to 32, {@link Layers#thin}) and depth-to-space. The 8 -> 16 -> 32 layers stay transposed convolutions: their
 * sub-pixel forms were slower (libs/dcgan/bench/run.sh). In bf16 a layer's output stays bfloat16 through its bias and
 * ReLU into the next layer; the image is float32.
 */
public final class ServingGraph implements AutoCloseable {
    /** Layers whose input is at most this wide run as sub-pixel convolutions; wider ones keep the transposed form. */
    static final int MAX_SUB_PIXEL_INPUT = 4;
    /** The epsilon {@link InferenceGraph} normalises with. */
    private static final float BATCH_NORM_EPSILON = Hyperparameters.reference().batchNormEpsilon();

    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TFloat32> z;
    private final Operand<TFloat32> image;
    private final Precision precision;

    /** The serving form of a generator's SavedModel (as {@link InferenceGraph#exportSavedModel} writes it). */
    public static ServingGraph load(Path savedModel, Architecture architecture, SessionThreads threads, Precision precision) {
        // the loader's session gets the threads too: TensorFlow sizes one process-wide CPU pool from the first
        // session a process makes, and in the sampler that is this one (the default: one thread per core of the node)
        try (SavedModelBundle bundle = SavedModelBundle.loader(savedModel.toString())
                .withTags(SavedModelBundle.DEFAULT_TAG).withConfigProto(threads.config()).load()) {
            return new ServingGraph(architecture, name -> VariableAccess.read(bundle.session(), name), threads, precision);
        }
    }

    /** The serving form of a generator's current weights. */
    public static ServingGraph of(InferenceGraph generator, SessionThreads threads) {
        return of(generator, threads, Precision.FP32);
    }

    public static ServingGraph of(InferenceGraph generator, SessionThreads threads, Precision precision) {
        return new ServingGraph(generator.architecture(), generator.variables()::read, threads, precision);
    }

    /**
     * @param read a variable's values by its training name (G_w0.., G_bn0_gamma..); a variable that is missing or of
     *             another size fails the construction
     */
    ServingGraph(Architecture architecture, Function<String, float[]> read, SessionThreads threads, Precision requested) {
        precision = Bf16Check.usable(requested, architecture, threads, Bf16Check.Scope.SERVING);
        try {
            Ops tf = Ops.create(graph);
            z = tf.withName(InferenceGraph.INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, 1, 1, architecture.nz())));
            image = tf.withName(InferenceGraph.OUTPUT).identity(layers(tf, z, architecture, read, precision));
        } catch (RuntimeException e) {
            graph.close(); // weights of another architecture: nothing of the half-built graph may stay behind
            throw e;
        }
        session = new Session(graph, threads.config());
    }

    static Operand<TFloat32> layers(Ops tf, Operand<TFloat32> z, Architecture architecture,
                                            Function<String, float[]> read, Precision precision) {
        int[] channels = architecture.generatorChannels();
        int[][] layers = GeneratorNetwork.LAYERS;
        Operand<? extends TFloating> x = z;
        for (int i = 0; i < layers.length; i++) {
            int in = layers[i][0], kernel = layers[i][1], stride = layers[i][2], padding = layers[i][3];
            int inChannels = channels[i], outChannels = channels[i + 1];
            float[] filter = checked(read, GeneratorNetwork.PREFIX + "_w" + i, kernel * kernel * outChannels * inChannels);
            boolean last = i == layers.length - 1;
            float[] shift = new float[outChannels];
            if (!last) {
                foldBatchNorm(read, GeneratorNetwork.PREFIX + "_bn" + i, outChannels, inChannels, filter, shift);
            }
            if (in == 1 && stride == 1 && padding == 0) {
                x = denseFromPoint(tf, x, filter, kernel, inChannels, outChannels, precision);
            } else if (in <= MAX_SUB_PIXEL_INPUT) {
                x = new SubPixel(in, kernel, stride, padding).apply(tf, x, filter, inChannels, outChannels, precision);
            } else {
                Operand<TFloat32> constantFilter = tf.constant(Shape.of(kernel, kernel, outChannels, inChannels),
                        DataBuffers.of(filter, true, false));
                x = Layers.convTranspose2d(tf, x, constantFilter, in, kernel, stride, padding, outChannels, precision);
            }
            x = last ? tf.math.tanh(Precision.fp32(tf, x)) : biasRelu(tf, x, shift);
        }
        return Precision.fp32(tf, x);
    }

    /** What the layers compute in: as asked for, or float32 where bf16 was asked for and {@link Bf16Check} failed. */
    public Precision precision() {
        return precision;
    }

    /** [N,1,1,nz] latent vectors to [N,96,96,3] images in [-1, 1], NHWC, flattened. */
    public float[] generate(TFloat32 latents) {
        return generate(latents, new int[]{(int) latents.shape().get(0)}).get(0);
    }

    /**
     * One run for several requests' latent vectors laid end to end; each gets its own rows of the output, copied
     * straight out of the native tensor (a batch-sized Java array would be a humongous G1 allocation).
     */
    public List<float[]> generate(TFloat32 latents, int[] counts) {
        try (Result result = session.runner().feed(z, latents).fetch(image).run()) {
            TFloat32 images = (TFloat32) result.get(0);
            List<float[]> parts = new ArrayList<>(counts.length);
            long row = 0;
            for (int count : counts) {
                parts.add(Tensors.rows(images, row, row + count));
                row += count;
            }
            return parts;
        }
    }

    private static float[] checked(Function<String, float[]> read, String name, int expected) {
        float[] values = read.apply(name);
        if (values.length != expected) {
            throw new IncompatibleCheckpointException(name + " has " + values.length + " values, the architecture needs " + expected);
        }
        return values;
    }

    /** Inference-mode batch norm is y = x * scale + shift per channel: the scale goes into the filter [k,k,out,in]. */
    private static void foldBatchNorm(Function<String, float[]> read, String prefix, int outChannels, int inChannels,
                                      float[] filter, float[] shift) {
        float[] gamma = checked(read, prefix + "_gamma", outChannels);
        float[] beta = checked(read, prefix + "_beta", outChannels);
        float[] mean = checked(read, prefix + "_mean", outChannels);
        float[] variance = checked(read, prefix + "_var", outChannels);
        float[] scale = new float[outChannels];
        for (int o = 0; o < outChannels; o++) {
            scale[o] = (float) (gamma[o] / Math.sqrt((double) variance[o] + BATCH_NORM_EPSILON));
            shift[o] = beta[o] - mean[o] * scale[o];
        }
        for (int at = 0; at < filter.length; at++) {
            filter[at] *= scale[(at / inChannels) % outChannels];
        }
    }

    /** relu(x + shift) in x's own type (a bf16 layer's output stays bf16 into the next). */
    private static <T extends TFloating> Operand<T> biasRelu(Ops tf, Operand<T> x, float[] shift) {
        return tf.nn.relu(tf.nn.biasAdd(x, Precision.as(tf, tf.constant(shift), x.type())));
    }

    /**
     * A transposed convolution of a 1x1 input with no padding is a matrix product: out[ty,tx,o] = sum_i z[i] w[ty,tx,o,i].
     */
    private static Operand<? extends TFloating> denseFromPoint(Ops tf, Operand<? extends TFloating> x, float[] filter,
                                                               int kernel, int inChannels, int outChannels,
                                                               Precision precision) {
        int columns = kernel * kernel * outChannels;
        float[] matrix = new float[inChannels * columns];
        for (int column = 0; column < columns; column++) {
            for (int i = 0; i < inChannels; i++) {
                matrix[i * columns + column] = filter[column * inChannels + i];
            }
        }
        Operand<? extends TFloating> flat = tf.reshape(x, tf.constant(new long[]{-1, inChannels}));
        Operand<? extends TFloating> product = precision.matMul(tf, flat, tf.constant(Shape.of(inChannels, columns),
                DataBuffers.of(matrix, true, false)));
        return tf.reshape(product, tf.constant(new long[]{-1, kernel, kernel, outChannels}));
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
