package io.oshigan.dcgan;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.List;
import java.util.Objects;

/**
 * One training graph ({@link TrainingOps}) and its session: D and G steps, generation, state, save and restore,
 * export. Build with {@link #builder}.
 */
public final class TrainingGraph implements AutoCloseable {
    /** Images in the progress grid: 8x8. */
    public static final int DEFAULT_FIXED_NOISE = 64;

    private final Graph graph = new Graph();
    private final Session session;
    private final Architecture architecture;
    private final Hyperparameters hyperparameters;
    private final SmallDataOptions options;
    private final TrainingOps ops;
    private final VariableAccess access;

    public static TrainingGraphBuilder builder(Architecture architecture, Hyperparameters hyperparameters) {
        return new TrainingGraphBuilder(architecture, hyperparameters);
    }

    TrainingGraph(TrainingGraphBuilder b, Hyperparameters hyperparameters) {
        this.architecture = b.architecture;
        this.hyperparameters = hyperparameters;
        this.options = b.options;
        Ops tf = Ops.create(graph);
        this.ops = new TrainingOps(graph, tf, b, hyperparameters);
        session = new Session(graph, b.threads.config());
        session.initialize();
        if (!ops.copyToAverage.isEmpty()) {
            Session.Runner runner = session.runner();
            ops.copyToAverage.forEach(runner::addTarget);
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
        Session.Runner runner = session.runner().feed(ops.real, realImages).feed(ops.z, noise).fetch(ops.lossD);
        if (options.diffAugment()) {
            runner.feed(ops.augmentReal, Objects.requireNonNull(augmentRealParams, "DiffAugment is on: parameters needed"))
                    .feed(ops.augmentFakeForD, Objects.requireNonNull(augmentFakeParams, "DiffAugment is on: parameters needed"));
        }
        ops.discriminatorStep.forEach(runner::addTarget);
        try (Result result = runner.run()) {
            return ((TFloat32) result.get(0)).getFloat();
        }
    }

    /** One G step on a batch of noise; returns the G loss before the step. */
    public float trainGenerator(TFloat32 noise) {
        return trainGenerator(noise, null);
    }

    public float trainGenerator(TFloat32 noise, TFloat32 augmentFakeParams) {
        Session.Runner runner = session.runner().feed(ops.z, noise).fetch(ops.lossG);
        if (options.diffAugment()) {
            runner.feed(ops.augmentFakeForG, Objects.requireNonNull(augmentFakeParams, "DiffAugment is on: parameters needed"));
        }
        ops.generatorStep.forEach(runner::addTarget);
        try (Result result = runner.run()) {
            return ((TFloat32) result.get(0)).getFloat();
        }
    }

    /** G in training mode (batch statistics), without updating anything: [N,96,96,3] flattened. */
    public float[] generateTrainingMode(TFloat32 noise) {
        try (Result result = session.runner().feed(ops.z, noise).fetch(ops.fake).run()) {
            return Tensors.values((TFloat32) result.get(0));
        }
    }

    /**
     * G in inference mode (running statistics), as the sampler will run it, the moving average of its weights when
     * that is on: [N,96,96,3] flattened.
     */
    public float[] generate(TFloat32 noise) {
        try (Result result = session.runner().feed(ops.z, noise).fetch(ops.fakeInference).run()) {
            return Tensors.values((TFloat32) result.get(0));
        }
    }

    /** The devices TensorFlow placed G's ops on (e.g. ".../device:CPU:0", ".../device:GPU:0"), from one traced run. */
    public java.util.Set<String> devices(TFloat32 noise) {
        org.tensorflow.proto.RunOptions trace = org.tensorflow.proto.RunOptions.newBuilder()
                .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build();
        try (Result result = session.runner().feed(ops.z, noise).fetch(ops.fakeInference).setOptions(trace).runAndFetchMetadata()) {
            java.util.Set<String> devices = new java.util.TreeSet<>();
            result.getMetadata().ifPresent(m -> m.getStepStats().getDevStatsList().forEach(d -> devices.add(d.getDevice())));
            return devices;
        }
    }

    /** D's probability that each image is real, in training mode, without updating anything. */
    public float[] discriminate(TFloat32 images) {
        try (Result result = session.runner().feed(ops.real, images).fetch(ops.realProbability).run()) {
            return Tensors.values((TFloat32) result.get(0));
        }
    }

    public TrainingState state() {
        return ops.state.read(session);
    }

    public void setState(TrainingState newState) {
        ops.state.write(session, newState);
    }

    /** Writes every variable (weights, running statistics, Adam slots and steps, training state) under a prefix. */
    public void save(java.nio.file.Path prefix) {
        session.save(prefix.toString());
    }

    /**
     * Reads every variable back from {@link #save}'s prefix; the moving average of G, when this graph has it and the
     * checkpoint does not (it was turned on since), starts at G's restored weights.
     */
    public void restore(java.nio.file.Path prefix) {
        try {
            session.restore(prefix.toString());
        } catch (org.tensorflow.exceptions.TensorFlowException e) {
            String missingAverage = "Key " + MovingAverage.NAME + "_";
            if (ops.average == null || e.getMessage() == null || !e.getMessage().contains(missingAverage)) {
                throw e;
            }
            // a checkpoint from before the moving average was turned on: all else restored, it starts as a copy of G
            new PartialRestore(graph, MovingAverage.NAME + "_").run(session, prefix);
            Session.Runner runner = session.runner();
            ops.copyToAverage.forEach(runner::addTarget);
            runner.run().close();
        }
    }

    /** As built: the precision is float32 where bf16 was asked for and {@link Bf16Check} failed. */
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /** Which weight gradients this graph takes in float32, as built. */
    public Fp32WeightGradients fp32WeightGradients() {
        return ops.fp32WeightGradients;
    }

    public VariableAccess variables() {
        return access;
    }

    public Architecture architecture() {
        return architecture;
    }

    public GeneratorNetwork generator() {
        return ops.generator;
    }

    public DiscriminatorNetwork discriminator() {
        return ops.discriminator;
    }

    /**
     * Exports the generator that serves (the moving average when on, else G) with G's running statistics as a
     * SavedModel, through a separately built inference graph.
     */
    public void exportGenerator(java.nio.file.Path directory) {
        try (InferenceGraph inference = new InferenceGraph(architecture, SessionThreads.defaults())) {
            inference.initialize();
            List<Variable<TFloat32>> source = ops.average != null ? ops.average.weights() : ops.generator.trainable();
            List<Variable<TFloat32>> target = ops.generator.trainable();
            for (int i = 0; i < target.size(); i++) {
                inference.variables().write(target.get(i).op().name(), access.read(source.get(i).op().name()));
            }
            for (BatchNormVariables bn : ops.generator.norms()) {
                inference.variables().write(bn.mean().op().name(), access.read(bn.mean().op().name()));
                inference.variables().write(bn.variance().op().name(), access.read(bn.variance().op().name()));
            }
            inference.exportSavedModel(directory);
        }
    }

    public SmallDataOptions options() {
        return options;
    }

    @Override
    public void close() {
        access.close();
        session.close();
        graph.close();
    }
}
