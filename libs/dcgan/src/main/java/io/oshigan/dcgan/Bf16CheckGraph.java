package io.oshigan.dcgan;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The graph {@link Bf16Check} runs: what it checks, each in float32 and in bfloat16 side by side on the same random
 * inputs and weights, and the names its verdict gives them, in the order they are fetched.
 */
final class Bf16CheckGraph implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Ops tf = Ops.create(graph);
    private final long seed;
    private final Random random;
    private final List<String> names = new ArrayList<>();
    private final List<List<Operand<TFloat32>>> byPrecision = List.of(new ArrayList<>(), new ArrayList<>());

    Bf16CheckGraph(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    Graph graph() {
        return graph;
    }

    /** What is fetched in {@code precision}, in the order of {@link #names}. */
    List<Operand<TFloat32>> outputs(Precision precision) {
        return byPrecision.get(precision.ordinal());
    }

    List<String> names() {
        return names;
    }

    /** Each of G's and D's convolutions at its own shape, on random inputs, weights and upstream gradients. */
    void addLayers(Architecture architecture) {
        List<String> layers = new ArrayList<>();
        int[] g = architecture.generatorChannels();
        for (int i = 0; i < GeneratorNetwork.LAYERS.length; i++) {
            int[] l = GeneratorNetwork.LAYERS[i];
            Operand<TFloat32> x = constant(Bf16Check.BATCH, l[0], l[0], g[i]);
            Operand<TFloat32> w = constant(l[1], l[1], g[i + 1], g[i]);
            int outSize = Layers.transposedOutSize(l[0], l[1], l[2], l[3]);
            Operand<TFloat32> upstream = constant(Bf16Check.BATCH * outSize * outSize * g[i + 1]);
            layers.add("G" + (i + 1));
            for (Precision p : Precision.values()) {
                add(Precision.fp32(tf, Layers.convTranspose2d(tf, x, w, l[0], l[1], l[2], l[3], g[i + 1], p)), upstream,
                        p, x, w);
            }
        }
        int[] d = architecture.discriminatorChannels();
        for (int i = 0; i < DiscriminatorNetwork.LAYERS.length; i++) {
            int[] l = DiscriminatorNetwork.LAYERS[i];
            int in = DiscriminatorNetwork.IN_SIZES[i];
            Operand<TFloat32> x = constant(Bf16Check.BATCH, in, in, d[i]);
            Operand<TFloat32> w = constant(l[0], l[0], d[i], d[i + 1]);
            int outSize = Layers.convOutSize(in, l[0], l[1], l[2]);
            Operand<TFloat32> upstream = constant(Bf16Check.BATCH * outSize * outSize * d[i + 1]);
            layers.add("D" + (i + 1));
            for (Precision p : Precision.values()) {
                add(Precision.fp32(tf, Layers.conv2d(tf, x, w, in, l[0], l[1], l[2], p)), upstream, p, x, w);
            }
        }
        names.addAll(Bf16Verdict.outputsOf(layers, Bf16Verdict.KINDS));
    }

    /**
     * Each of G's and D's batch norms at its own shape, in training mode, on a random input in the precision the
     * convolution before it leaves it in (bf16 in and out, statistics fp32): its output and its input gradient.
     */
    void addBatchNorms(Architecture architecture) {
        List<String> norms = new ArrayList<>();
        Variables variables = new Variables(tf, seed);
        int[] g = architecture.generatorChannels();
        for (int i = 0; i < GeneratorNetwork.LAYERS.length - 1; i++) {
            int[] l = GeneratorNetwork.LAYERS[i];
            addBatchNorm("G" + (i + 1), Layers.transposedOutSize(l[0], l[1], l[2], l[3]), g[i + 1], variables, norms);
        }
        int[] d = architecture.discriminatorChannels();
        for (int i = 1; i <= 3; i++) {
            int[] l = DiscriminatorNetwork.LAYERS[i];
            addBatchNorm("D" + (i + 1), Layers.convOutSize(DiscriminatorNetwork.IN_SIZES[i], l[0], l[1], l[2]), d[i + 1],
                    variables, norms);
        }
        names.addAll(Bf16Verdict.outputsOf(norms, Bf16Verdict.NORM_KINDS));
    }

    private void addBatchNorm(String layer, int size, int channels, Variables variables, List<String> norms) {
        Operand<TFloat32> x = constant(Bf16Check.BATCH, size, size, channels);
        Operand<TFloat32> upstream = constant(Bf16Check.BATCH * size * size * channels);
        BatchNormVariables bn = variables.batchNorm("bf16check_" + layer, channels);
        for (Precision p : Precision.values()) {
            add(Precision.fp32(tf, Layers.batchNorm(tf, Precision.as(tf, x, p.type()), bn, bn.stats(), true,
                    Hyperparameters.reference()).y()), upstream, p, x);
        }
        norms.add(layer);
    }

    /**
     * G and D whole with fresh weights and batch statistics, as a training step's losses start; D on fp32's images.
     * Their input gradients are not compared: bf16's rounding of the gradient entering each batch norm is amplified
     * where its backward pass subtracts means, 9.8-10% relative L2 off fp32 through G or D on an AMD Zen 5 whether
     * batch norm ran in bf16 or fp32, so a bound would not tell a wrong kernel from rounding.
     */
    void addNetworks(Architecture architecture) {
        GeneratorNetwork generator = new GeneratorNetwork(tf, architecture, seed);
        DiscriminatorNetwork discriminator = new DiscriminatorNetwork(tf, architecture, seed + 1);
        Operand<TFloat32> z = constant(Bf16Check.BATCH, 1, 1, architecture.nz());
        Operand<TFloat32> images = generator.forward(tf, z, true, generator.runningStats(),
                Hyperparameters.reference()).image();
        for (Precision p : Precision.values()) {
            Hyperparameters hp = Hyperparameters.reference().in(p);
            List<Operand<TFloat32>> into = byPrecision.get(p.ordinal());
            into.add(tf.reshape(generator.forward(tf, z, true, generator.runningStats(), hp).image(),
                    tf.constant(new int[]{-1})));
            into.add(discriminator.forward(tf, images, true, discriminator.runningStats(), hp).logits());
        }
        names.addAll(Bf16Verdict.NETWORKS);
    }

    /**
     * G as the sampler serves it ({@link ServingGraph}: batch norm folded, a matrix product, sub-pixel convolutions),
     * with fresh weights, at each of {@link Bf16Check#SERVING_BATCHES}.
     */
    void addServing(Architecture architecture, SessionThreads threads) {
        try (InferenceGraph generator = new InferenceGraph(architecture, threads)) {
            generator.initialize();
            for (int batch : Bf16Check.SERVING_BATCHES) {
                Operand<TFloat32> z = constant(batch, 1, 1, architecture.nz());
                for (Precision p : Precision.values()) {
                    byPrecision.get(p.ordinal()).add(tf.reshape(ServingGraph.layers(tf, z, architecture,
                            generator.variables()::read, p), tf.constant(new int[]{-1})));
                }
            }
        }
        names.addAll(Bf16Verdict.SERVED);
    }

    /**
     * Fetches {@code y} in {@code precision} and the gradients of a random linear function of it with respect to
     * {@code at}: for a layer its input and its weights, the three kernels a training step runs for that layer (for G's
     * transposed convolutions the output is Conv2DBackpropInput's, the input gradient Conv2D's; for D's the other way
     * round; the weight gradient is Conv2DBackpropFilter's for both); for a batch norm its input.
     */
    private void add(Operand<TFloat32> y, Operand<TFloat32> upstream, Precision precision, Operand<?>... at) {
        Operand<TFloat32> flat = tf.reshape(y, tf.constant(new int[]{-1}));
        Operand<TFloat32> objective = tf.reduceSum(tf.math.mul(flat, upstream), tf.constant(0));
        Output<?>[] points = java.util.Arrays.stream(at).map(Operand::asOutput).toArray(Output<?>[]::new);
        List<Operand<TFloat32>> into = byPrecision.get(precision.ordinal());
        into.add(flat);
        for (Output<?> gradient : graph.addGradients(objective.asOutput(), points)) {
            into.add(typed(gradient));
        }
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloat32> typed(Output<?> output) {
        return (Operand<TFloat32>) output;
    }

    private Operand<TFloat32> constant(long... shape) {
        Shape s = Shape.of(shape);
        return tf.constant(s, gaussian(random, Math.toIntExact(s.size())));
    }

    private static org.tensorflow.ndarray.buffer.FloatDataBuffer gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return org.tensorflow.ndarray.buffer.DataBuffers.of(values, true, false);
    }

    @Override
    public void close() {
        graph.close();
    }
}
