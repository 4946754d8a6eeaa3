package io.oshigan.dcgan;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Whether this process's TensorFlow computes the networks' bfloat16 layers correctly, checked once per architecture,
 * thread setting and {@link Scope} in a process, before anything trains or serves in bf16 with them. For training,
 * each of G's and D's convolutions runs at its own shape on random inputs, forward and both gradients (the kernels a
 * training step runs), then G and D whole with fresh weights; for training and serving, G as the sampler serves it at
 * batches 1 and 16; each in float32 and in bfloat16 side by side in one graph, bfloat16 twice (the second time in a
 * new session). oneDNN picks kernels by
 * shape, the batch included: training batches other than 16 run kernels this does not run. Some runtimes compute
 * bf16 wrongly on some CPUs: on an AMD Zen 5, TensorFlow 2.18's oneDNN computed the thin layers (1 or 3 input
 * channels to a forward kernel) 40% off float32, different on every run, and a training run went NaN, where a Zen 4
 * with the same flags was right; those layers now run as convolutions over 32 channels ({@link Layers#thin}) or, where
 * still thin, in float32 ({@link Precision#NARROW_CHANNELS}), and pass here on both. PyTorch's and OpenVINO's trackers show the like for oneDNN bf16 on AMD CPUs. Trusting
 * the CPU's flags could train garbage: with this check a runtime that fails trains and serves in float32, saying why.
 */
public final class Bf16Check {
    /** Images per checked training batch: the bf16 tests' batch. */
    static final int BATCH = 16;
    /** Batches of the serving graph checked: one image, as a lone request runs, and a batch. */
    static final int[] SERVING_BATCHES = {1, BATCH};
    private static final long SEED = 20_260_601L;
    private static final Map<Key, Bf16Verdict> VERDICTS = new HashMap<>();

    /** What a process runs in bf16, and so what its check runs. */
    public enum Scope {
        /** A trainer: every convolution's three kernels, G and D whole, and G as served. */
        TRAINING,
        /**
         * A sampler, which runs no gradients and no D: G as served, at batches 1 and 16. At the demo's width on 2 cores
         * (AMD Zen 5) 0.6 s against the whole check's 3 s, 2.2 s against 6.3 s as a process's first TensorFlow work.
         */
        SERVING
    }

    private record Key(Architecture architecture, SessionThreads threads, Scope scope) {
    }

    private Bf16Check() {
    }

    /**
     * The verdict for this runtime, measured on first use for this architecture and thread setting, then kept. A
     * second caller waits for the first's measurement rather than measuring again (it is seconds, and rare).
     */
    public static synchronized Bf16Verdict verdict(Architecture architecture, SessionThreads threads, Scope scope) {
        return VERDICTS.computeIfAbsent(new Key(architecture, threads, scope),
                key -> measureOrFail(architecture, threads, scope));
    }

    /**
     * Sets the verdict for an architecture and thread setting, in every scope, as a runtime that computes bf16 wrongly
     * would give.
     */
    static synchronized void assume(Architecture architecture, SessionThreads threads, Bf16Verdict verdict) {
        for (Scope scope : Scope.values()) {
            VERDICTS.put(new Key(architecture, threads, scope), verdict);
        }
    }

    private static Bf16Verdict measureOrFail(Architecture architecture, SessionThreads threads, Scope scope) {
        try {
            return measure(architecture, threads, scope);
        } catch (RuntimeException e) { // a device or runtime without bf16 kernels: fp32, and why
            return new Bf16Verdict(false, "bf16 could not be computed here: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * The precision to compute in: the one asked for, except bf16 where this runtime computes it wrongly (float32
     * then, as {@link #verdict} says why).
     */
    public static Precision usable(Precision requested, Architecture architecture, SessionThreads threads,
                                   Scope scope) {
        return requested == Precision.BF16 && !verdict(architecture, threads, scope).sound() ? Precision.FP32 : requested;
    }

    /** Where bf16 is asked for and this runtime fails its check, the line to log: "bf16 asked for, fp32 used: why". */
    public static java.util.Optional<String> fallback(Precision requested, Architecture architecture,
                                                      SessionThreads threads, Scope scope) {
        return usable(requested, architecture, threads, scope) == requested ? java.util.Optional.empty()
                : java.util.Optional.of("bf16 asked for, fp32 used: " + verdict(architecture, threads, scope).detail());
    }

    static Bf16Verdict measure(Architecture architecture, SessionThreads threads, Scope scope) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Random random = new Random(SEED);
            List<String> names = new ArrayList<>();
            List<List<Operand<TFloat32>>> byPrecision = List.of(new ArrayList<>(), new ArrayList<>());
            if (scope == Scope.TRAINING) {
                List<String> layers = new ArrayList<>();
                addLayers(graph, tf, random, architecture, layers, byPrecision);
                addNetworks(tf, random, architecture, byPrecision);
                names.addAll(Bf16Verdict.outputsOf(layers));
                names.addAll(Bf16Verdict.NETWORKS);
            }
            addServing(tf, random, architecture, threads, byPrecision);
            names.addAll(Bf16Verdict.SERVED);
            float[][] fp32;
            float[][] bf16;
            try (Session session = new Session(graph, threads.config())) {
                session.initialize();
                fp32 = run(session, byPrecision.get(Precision.FP32.ordinal()));
                bf16 = run(session, byPrecision.get(Precision.BF16.ordinal()));
            }
            // bf16 again in a session of its own: fresh buffers, so a kernel that reads memory it never wrote (Zen 5's
            // results differed from process to process) shows here as well
            try (Session session = new Session(graph, threads.config())) {
                session.initialize();
                float[][] again = run(session, byPrecision.get(Precision.BF16.ordinal()));
                return Bf16Verdict.judge(names, fp32, bf16, again);
            }
        }
    }

    /** Each of G's and D's convolutions at its own shape, on random inputs, weights and upstream gradients. */
    private static void addLayers(Graph graph, Ops tf, Random random, Architecture architecture, List<String> layers,
                                  List<List<Operand<TFloat32>>> byPrecision) {
        int[] g = architecture.generatorChannels();
        for (int i = 0; i < GeneratorNetwork.LAYERS.length; i++) {
            int[] l = GeneratorNetwork.LAYERS[i];
            Operand<TFloat32> x = constant(tf, random, BATCH, l[0], l[0], g[i]);
            Operand<TFloat32> w = constant(tf, random, l[1], l[1], g[i + 1], g[i]);
            int outSize = Layers.transposedOutSize(l[0], l[1], l[2], l[3]);
            Operand<TFloat32> upstream = constant(tf, random, BATCH * outSize * outSize * g[i + 1]);
            layers.add("G" + (i + 1));
            for (Precision p : Precision.values()) {
                add(graph, tf, x, w, Layers.convTranspose2d(tf, x, w, l[0], l[1], l[2], l[3], g[i + 1], p), upstream,
                        byPrecision.get(p.ordinal()));
            }
        }
        int[] d = architecture.discriminatorChannels();
        for (int i = 0; i < DiscriminatorNetwork.LAYERS.length; i++) {
            int[] l = DiscriminatorNetwork.LAYERS[i];
            int in = DiscriminatorNetwork.IN_SIZES[i];
            Operand<TFloat32> x = constant(tf, random, BATCH, in, in, d[i]);
            Operand<TFloat32> w = constant(tf, random, l[0], l[0], d[i], d[i + 1]);
            int outSize = Layers.convOutSize(in, l[0], l[1], l[2]);
            Operand<TFloat32> upstream = constant(tf, random, BATCH * outSize * outSize * d[i + 1]);
            layers.add("D" + (i + 1));
            for (Precision p : Precision.values()) {
                add(graph, tf, x, w, Layers.conv2d(tf, x, w, in, l[0], l[1], l[2], p), upstream,
                        byPrecision.get(p.ordinal()));
            }
        }
    }

    /** G and D whole with fresh weights and batch statistics, as a training step's losses start; D on fp32's images. */
    private static void addNetworks(Ops tf, Random random, Architecture architecture,
                                    List<List<Operand<TFloat32>>> byPrecision) {
        GeneratorNetwork generator = new GeneratorNetwork(tf, architecture, SEED);
        DiscriminatorNetwork discriminator = new DiscriminatorNetwork(tf, architecture, SEED + 1);
        Operand<TFloat32> z = constant(tf, random, BATCH, 1, 1, architecture.nz());
        Operand<TFloat32> images = generator.forward(tf, z, true, generator.runningStats(),
                Hyperparameters.reference()).image();
        for (Precision p : Precision.values()) {
            Hyperparameters hp = Hyperparameters.reference().in(p);
            List<Operand<TFloat32>> into = byPrecision.get(p.ordinal());
            into.add(tf.reshape(generator.forward(tf, z, true, generator.runningStats(), hp).image(),
                    tf.constant(new int[]{-1})));
            into.add(discriminator.forward(tf, images, true, discriminator.runningStats(), hp).logits());
        }
    }

    /**
     * G as the sampler serves it ({@link ServingGraph}: batch norm folded, a matrix product, sub-pixel convolutions),
     * with fresh weights, at each of {@link #SERVING_BATCHES}.
     */
    private static void addServing(Ops tf, Random random, Architecture architecture, SessionThreads threads,
                                   List<List<Operand<TFloat32>>> byPrecision) {
        try (InferenceGraph generator = new InferenceGraph(architecture, threads)) {
            generator.initialize();
            for (int batch : SERVING_BATCHES) {
                Operand<TFloat32> z = constant(tf, random, batch, 1, 1, architecture.nz());
                for (Precision p : Precision.values()) {
                    byPrecision.get(p.ordinal()).add(tf.reshape(ServingGraph.layers(tf, z, architecture,
                            generator.variables()::read, p), tf.constant(new int[]{-1})));
                }
            }
        }
    }

    /**
     * A layer's output and the gradients of a random linear function of it with respect to its input and its
     * weights: the three kernels a training step runs for that layer (for G's transposed convolutions the output is
     * Conv2DBackpropInput's, the input gradient Conv2D's; for D's the other way round; the weight gradient is
     * Conv2DBackpropFilter's for both).
     */
    private static void add(Graph graph, Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, Operand<TFloat32> y,
                            Operand<TFloat32> upstream, List<Operand<TFloat32>> into) {
        Operand<TFloat32> flat = tf.reshape(y, tf.constant(new int[]{-1}));
        Operand<TFloat32> objective = tf.reduceSum(tf.math.mul(flat, upstream), tf.constant(0));
        Output<?>[] gradients = graph.addGradients(objective.asOutput(), new Output<?>[]{x.asOutput(), w.asOutput()});
        into.add(flat);
        into.add(typed(gradients[0]));
        into.add(typed(gradients[1]));
    }

    private static float[][] run(Session session, List<Operand<TFloat32>> fetches) {
        Session.Runner runner = session.runner();
        fetches.forEach(runner::fetch);
        try (Result result = runner.run()) {
            float[][] values = new float[fetches.size()][];
            for (int i = 0; i < values.length; i++) {
                values[i] = Tensors.values((TFloat32) result.get(i));
            }
            return values;
        }
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloat32> typed(Output<?> output) {
        return (Operand<TFloat32>) output;
    }

    private static Operand<TFloat32> constant(Ops tf, Random random, long... shape) {
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
}
