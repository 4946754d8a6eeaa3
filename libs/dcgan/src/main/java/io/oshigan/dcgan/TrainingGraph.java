package io.oshigan.dcgan;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

/**
 * One graph and session for training: G, D on real images, D on G's (gradient-stopped) images for the D step, D on
 * G's images for the G step, BCE losses, gradients per network, PyTorch Adam per network, and the batch-norm running
 * statistics updated in the order PyTorch updates them. Labels: real = 1, fake = 0; G is trained towards 1.
 */
public final class TrainingGraph implements AutoCloseable {
    /** Images in the progress grid: 8x8. */
    public static final int DEFAULT_FIXED_NOISE = 64;

    private final Graph graph = new Graph();
    private final Session session;
    private final Ops tf = Ops.create(graph);
    private final Architecture architecture;
    private final GeneratorNetwork generator;
    private final DiscriminatorNetwork discriminator;
    private final Placeholder<TFloat32> real;
    private final Placeholder<TFloat32> z;
    private final Operand<TFloat32> fake;
    private final Operand<TFloat32> fakeInference;
    private final Operand<TFloat32> realProbability;
    private final Operand<TFloat32> lossD;
    private final Operand<TFloat32> lossG;
    private final List<Op> discriminatorStep = new ArrayList<>();
    private final List<Op> generatorStep = new ArrayList<>();
    private final VariableAccess access;
    private final StateVariables state;
    private final Hyperparameters hyperparameters;
    private final SmallDataOptions options;
    private Placeholder<TFloat32> augmentReal;
    private Placeholder<TFloat32> augmentFakeForD;
    private Placeholder<TFloat32> augmentFakeForG;
    private MovingAverage average;

    /** A fresh model with the 64-image progress-grid noise of the reference. */
    public TrainingGraph(Architecture architecture, Hyperparameters hp, long seed, SessionThreads threads) {
        this(architecture, hp, seed, threads, DEFAULT_FIXED_NOISE);
    }

    public TrainingGraph(Architecture architecture, Hyperparameters hp, long seed, SessionThreads threads,
                         int fixedNoiseCount) {
        this(architecture, hp, seed, threads, fixedNoiseCount, SmallDataOptions.none(), 0);
    }

    /**
     * @param batchSize the fixed batch size; needed (> 0) only with DiffAugment, whose per-image shifts are built
     *                  per batch position
     */
    public TrainingGraph(Architecture architecture, Hyperparameters hp, long seed, SessionThreads threads,
                         int fixedNoiseCount, SmallDataOptions options, int batchSize) {
        if (options.diffAugment() && batchSize < 1) {
            throw new IllegalArgumentException("DiffAugment needs a fixed batch size");
        }
        this.architecture = architecture;
        this.options = options;
        this.hyperparameters = hp;
        state = new StateVariables(tf, architecture, fixedNoiseCount);
        generator = new GeneratorNetwork(tf, architecture, seed);
        discriminator = new DiscriminatorNetwork(tf, architecture, seed + 1_000);
        real = tf.withName("real").placeholder(TFloat32.class, Placeholder.shape(
                Shape.of(-1, Architecture.IMAGE_SIZE, Architecture.IMAGE_SIZE, Architecture.CHANNELS)));
        z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1, 1, architecture.nz())));

        GeneratorNetwork.Result g = generator.forward(tf, z, true, generator.runningStats(), hp);
        fake = g.image();
        Operand<TFloat32> realIn = real;
        Operand<TFloat32> fakeInForD = tf.stopGradient(fake);
        Operand<TFloat32> fakeInForG = fake;
        if (options.diffAugment()) {
            augmentReal = augmentPlaceholder("augment_real", batchSize);
            augmentFakeForD = augmentPlaceholder("augment_fake_d", batchSize);
            augmentFakeForG = augmentPlaceholder("augment_fake_g", batchSize);
            realIn = DiffAugment.apply(tf, real, augmentReal, batchSize);
            fakeInForD = DiffAugment.apply(tf, fakeInForD, augmentFakeForD, batchSize);
            fakeInForG = DiffAugment.apply(tf, fake, augmentFakeForG, batchSize);
        }
        DiscriminatorNetwork.Result onReal = discriminator.forward(tf, realIn, true, discriminator.runningStats(), hp);
        // PyTorch updates D's running statistics with the real batch first, then with the fake one
        DiscriminatorNetwork.Result onFakeForD = discriminator.forward(tf, fakeInForD, true, onReal.statsAfter(), hp);
        DiscriminatorNetwork.Result onFakeForG = discriminator.forward(tf, fakeInForG, true, discriminator.runningStats(), hp);
        realProbability = tf.math.sigmoid(onReal.logits());
        if (options.ema()) {
            average = new MovingAverage(tf, generator, seed);
            fakeInference = average.image(tf, z, hp);
        } else {
            fakeInference = generator.forward(tf, z, false, generator.runningStats(), hp).image();
        }
        lossD = tf.withName("loss_d").math.add(Losses.bce(tf, onReal.logits(), hp.realLabel()), Losses.bce(tf, onFakeForD.logits(), 0f));
        lossG = tf.withName("loss_g").identity(Losses.bce(tf, onFakeForG.logits(), 1f));

        Output<?>[] gradD = graph.addGradients(lossD.asOutput(), outputs(discriminator.trainable()));
        Output<?>[] gradG = graph.addGradients(lossG.asOutput(), outputs(generator.trainable()));
        discriminatorStep.addAll(PyTorchAdam.minimize(tf, "adam_d", discriminator.trainable(), gradD,
                hp.learningRateD(), hp.beta1(), hp.beta2(), hp.adamEpsilon()));
        discriminatorStep.addAll(assignStats(gradD, discriminator.norms(), onFakeForD.statsAfter()));
        discriminatorStep.addAll(assignStats(gradD, generator.norms(), g.statsAfter()));
        generatorStep.addAll(PyTorchAdam.minimize(tf, "adam_g", generator.trainable(), gradG,
                hp.learningRateG(), hp.beta1(), hp.beta2(), hp.adamEpsilon()));
        generatorStep.addAll(assignStats(gradG, generator.norms(), g.statsAfter()));
        generatorStep.addAll(assignStats(gradG, discriminator.norms(), onFakeForG.statsAfter()));
        List<Op> copyToAverage = List.of();
        if (average != null) {
            generatorStep.addAll(average.updates(tf, generatorStep, options.emaDecay()));
            copyToAverage = average.copy(tf);
        }

        session = new Session(graph, threads.config());
        session.initialize();
        if (!copyToAverage.isEmpty()) {
            Session.Runner runner = session.runner();
            copyToAverage.forEach(runner::addTarget);
            runner.run().close();
        }
        access = new VariableAccess(graph, tf, session);
    }

    /** One D step on a real batch and a batch of noise; returns the D loss before the step. */
    public float trainDiscriminator(TFloat32 realImages, TFloat32 noise) {
        return trainDiscriminator(realImages, noise, null, null);
    }

    /** One D step with DiffAugment parameters [batch, 7] for the real and the fake batch (see {@link DiffAugment}). */
    public float trainDiscriminator(TFloat32 realImages, TFloat32 noise, TFloat32 augmentRealParams, TFloat32 augmentFakeParams) {
        Session.Runner runner = session.runner().feed(real, realImages).feed(z, noise).fetch(lossD);
        if (options.diffAugment()) {
            runner.feed(augmentReal, java.util.Objects.requireNonNull(augmentRealParams, "DiffAugment is on: parameters needed"))
                    .feed(augmentFakeForD, java.util.Objects.requireNonNull(augmentFakeParams, "DiffAugment is on: parameters needed"));
        }
        discriminatorStep.forEach(runner::addTarget);
        try (Result result = runner.run()) {
            return ((TFloat32) result.get(0)).getFloat();
        }
    }

    /** One G step on a batch of noise; returns the G loss before the step. */
    public float trainGenerator(TFloat32 noise) {
        return trainGenerator(noise, null);
    }

    public float trainGenerator(TFloat32 noise, TFloat32 augmentFakeParams) {
        Session.Runner runner = session.runner().feed(z, noise).fetch(lossG);
        if (options.diffAugment()) {
            runner.feed(augmentFakeForG, java.util.Objects.requireNonNull(augmentFakeParams, "DiffAugment is on: parameters needed"));
        }
        generatorStep.forEach(runner::addTarget);
        try (Result result = runner.run()) {
            return ((TFloat32) result.get(0)).getFloat();
        }
    }

    /** G in training mode (batch statistics), without updating anything: [N,96,96,3] flattened. */
    public float[] generateTrainingMode(TFloat32 noise) {
        try (Result result = session.runner().feed(z, noise).fetch(fake).run()) {
            return Tensors.values((TFloat32) result.get(0));
        }
    }

    /**
     * G in inference mode (running statistics), as the sampler will run it, the moving average of its weights when
     * that is on: [N,96,96,3] flattened.
     */
    public float[] generate(TFloat32 noise) {
        try (Result result = session.runner().feed(z, noise).fetch(fakeInference).run()) {
            return Tensors.values((TFloat32) result.get(0));
        }
    }

    /** The devices TensorFlow placed G's ops on (e.g. ".../device:CPU:0", ".../device:GPU:0"), from one traced run. */
    public java.util.Set<String> devices(TFloat32 noise) {
        org.tensorflow.proto.RunOptions trace = org.tensorflow.proto.RunOptions.newBuilder()
                .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build();
        try (Result result = session.runner().feed(z, noise).fetch(fakeInference).setOptions(trace).runAndFetchMetadata()) {
            java.util.Set<String> devices = new java.util.TreeSet<>();
            result.getMetadata().ifPresent(m -> m.getStepStats().getDevStatsList().forEach(d -> devices.add(d.getDevice())));
            return devices;
        }
    }

    /** D's probability that each image is real, in training mode, without updating anything. */
    public float[] discriminate(TFloat32 images) {
        try (Result result = session.runner().feed(real, images).fetch(realProbability).run()) {
            return Tensors.values((TFloat32) result.get(0));
        }
    }

    public TrainingState state() {
        return state.read(session);
    }

    public void setState(TrainingState newState) {
        state.write(session, newState);
    }

    /** Writes every variable (weights, running statistics, Adam slots and steps, training state) under a prefix. */
    public void save(java.nio.file.Path prefix) {
        session.save(prefix.toString());
    }

    /** Reads every variable back from {@link #save}'s prefix. */
    public void restore(java.nio.file.Path prefix) {
        session.restore(prefix.toString());
    }

    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    public VariableAccess variables() {
        return access;
    }

    public Architecture architecture() {
        return architecture;
    }

    public GeneratorNetwork generator() {
        return generator;
    }

    public DiscriminatorNetwork discriminator() {
        return discriminator;
    }

    private List<Op> assignStats(Output<?>[] after, List<BatchNormVariables> norms, List<BatchNormVariables.Stats> values) {
        Ops ordered = tf.withControlDependencies(java.util.Arrays.<Op>asList(after));
        List<Op> assigns = new ArrayList<>();
        for (int i = 0; i < norms.size(); i++) {
            assigns.add(ordered.assign(norms.get(i).mean(), values.get(i).mean()));
            assigns.add(ordered.assign(norms.get(i).variance(), values.get(i).variance()));
        }
        return assigns;
    }

    private Placeholder<TFloat32> augmentPlaceholder(String name, int batchSize) {
        return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(batchSize, DiffAugment.PARAMS)));
    }

    /**
     * Exports the generator that serves (the moving average when on, else G) with G's running statistics as a
     * SavedModel, through a separately built inference graph.
     */
    public void exportGenerator(java.nio.file.Path directory) {
        try (InferenceGraph inference = new InferenceGraph(architecture, SessionThreads.defaults())) {
            inference.initialize();
            List<Variable<TFloat32>> source = average != null ? average.weights() : generator.trainable();
            List<Variable<TFloat32>> target = generator.trainable();
            for (int i = 0; i < target.size(); i++) {
                inference.variables().write(target.get(i).op().name(), access.read(source.get(i).op().name()));
            }
            for (BatchNormVariables bn : generator.norms()) {
                inference.variables().write(bn.mean().op().name(), access.read(bn.mean().op().name()));
                inference.variables().write(bn.variance().op().name(), access.read(bn.variance().op().name()));
            }
            inference.exportSavedModel(directory);
        }
    }

    public SmallDataOptions options() {
        return options;
    }

    private static Output<?>[] outputs(List<Variable<TFloat32>> variables) {
        return variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    }

    @Override
    public void close() {
        access.close();
        session.close();
        graph.close();
    }
}
