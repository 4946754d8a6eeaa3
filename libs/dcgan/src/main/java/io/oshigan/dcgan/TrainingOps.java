package io.oshigan.dcgan;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the training graph: G, D on real images, D on G's (gradient-stopped) images for the D step, D on G's images
 * for the G step, BCE losses, gradients per network, PyTorch Adam per network, and the batch-norm running statistics
 * updated in the order PyTorch updates them. Labels: real = 1, fake = 0; G is trained towards 1.
 */
final class TrainingOps {
    final GeneratorNetwork generator;
    final DiscriminatorNetwork discriminator;
    final StateVariables state;
    final Placeholder<TFloat32> real;
    final Placeholder<TFloat32> z;
    final Operand<TFloat32> fake;
    final Operand<TFloat32> fakeInference;
    final Operand<TFloat32> realProbability;
    final Operand<TFloat32> lossD;
    final Operand<TFloat32> lossG;
    final List<Op> discriminatorStep = new ArrayList<>();
    final List<Op> generatorStep = new ArrayList<>();
    /** Null unless DiffAugment is on. */
    final Placeholder<TFloat32> augmentReal;
    final Placeholder<TFloat32> augmentFakeForD;
    final Placeholder<TFloat32> augmentFakeForG;
    /** Null unless the moving average of G is on; {@link #copyToAverage} then starts it at G's weights. */
    final MovingAverage average;
    /** Which weight gradients the graph takes in float32. */
    final Fp32WeightGradients fp32WeightGradients;
    final List<Op> copyToAverage;

    TrainingOps(Graph graph, Ops tf, TrainingGraphBuilder b, Hyperparameters hp) {
        state = new StateVariables(tf, b.architecture, b.fixedNoise);
        generator = new GeneratorNetwork(tf, b.architecture, b.seed);
        discriminator = new DiscriminatorNetwork(tf, b.architecture, b.seed + 1_000);
        real = tf.withName("real").placeholder(TFloat32.class, Placeholder.shape(
                Shape.of(-1, Architecture.IMAGE_SIZE, Architecture.IMAGE_SIZE, Architecture.CHANNELS)));
        z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1, 1, b.architecture.nz())));

        // bf16 layers with float32 weight gradients where those are faster (Fp32WeightGradients): one set of taps a call
        fp32WeightGradients = b.fp32WeightGradients != null ? b.fp32WeightGradients
                : Fp32WeightGradients.forMachine(hp.precision(), b.threads.cpuOnly());
        boolean tapped = fp32WeightGradients != Fp32WeightGradients.NONE;
        WeightTaps generatorTaps = tapped ? new WeightTaps(fp32WeightGradients) : null;
        WeightTaps realTaps = tapped ? new WeightTaps(fp32WeightGradients) : null;
        WeightTaps fakeTaps = tapped ? new WeightTaps(fp32WeightGradients) : null;
        GeneratorNetwork.Result g = generator.forward(tf, z, true, generator.runningStats(), hp, generatorTaps);
        fake = g.image();
        Operand<TFloat32> realIn = real;
        Operand<TFloat32> fakeInForD = tf.stopGradient(fake);
        Operand<TFloat32> fakeInForG = fake;
        if (b.options.diffAugment()) {
            augmentReal = augmentPlaceholder(tf, "augment_real", b.batchSize);
            augmentFakeForD = augmentPlaceholder(tf, "augment_fake_d", b.batchSize);
            augmentFakeForG = augmentPlaceholder(tf, "augment_fake_g", b.batchSize);
            realIn = DiffAugment.apply(tf, real, augmentReal, b.batchSize);
            fakeInForD = DiffAugment.apply(tf, fakeInForD, augmentFakeForD, b.batchSize);
            fakeInForG = DiffAugment.apply(tf, fake, augmentFakeForG, b.batchSize);
        } else {
            augmentReal = null;
            augmentFakeForD = null;
            augmentFakeForG = null;
        }
        DiscriminatorNetwork.Result onReal = discriminator.forward(tf, realIn, true, discriminator.runningStats(), hp, realTaps);
        // PyTorch updates D's running statistics with the real batch first, then with the fake one
        DiscriminatorNetwork.Result onFakeForD = discriminator.forward(tf, fakeInForD, true, onReal.statsAfter(), hp, fakeTaps);
        DiscriminatorNetwork.Result onFakeForG = discriminator.forward(tf, fakeInForG, true, discriminator.runningStats(), hp);
        realProbability = tf.math.sigmoid(onReal.logits());
        if (b.options.ema()) {
            average = new MovingAverage(tf, generator, b.seed);
            fakeInference = average.image(tf, z, hp);
        } else {
            average = null;
            fakeInference = generator.forward(tf, z, false, generator.runningStats(), hp).image();
        }
        lossD = tf.withName("loss_d").math.add(Losses.bce(tf, onReal.logits(), hp.realLabel()), Losses.bce(tf, onFakeForD.logits(), 0f));
        lossG = tf.withName("loss_g").identity(Losses.bce(tf, onFakeForG.logits(), 1f));

        Output<?>[] gradD = tapped
                ? WeightTaps.gradients(graph, tf, lossD, discriminator.trainable(), List.of(realTaps, fakeTaps))
                : graph.addGradients(lossD.asOutput(), outputs(discriminator.trainable()));
        Output<?>[] gradG = tapped
                ? WeightTaps.gradients(graph, tf, lossG, generator.trainable(), List.of(generatorTaps))
                : graph.addGradients(lossG.asOutput(), outputs(generator.trainable()));
        discriminatorStep.addAll(PyTorchAdam.minimize(tf, "adam_d", discriminator.trainable(), gradD,
                hp.learningRateD(), hp.beta1(), hp.beta2(), hp.adamEpsilon()));
        discriminatorStep.addAll(assignStats(tf, gradD, discriminator.norms(), onFakeForD.statsAfter()));
        discriminatorStep.addAll(assignStats(tf, gradD, generator.norms(), g.statsAfter()));
        generatorStep.addAll(PyTorchAdam.minimize(tf, "adam_g", generator.trainable(), gradG,
                hp.learningRateG(), hp.beta1(), hp.beta2(), hp.adamEpsilon()));
        generatorStep.addAll(assignStats(tf, gradG, generator.norms(), g.statsAfter()));
        generatorStep.addAll(assignStats(tf, gradG, discriminator.norms(), onFakeForG.statsAfter()));
        if (average != null) {
            generatorStep.addAll(average.updates(tf, generatorStep, b.options.emaDecay()));
            copyToAverage = average.copy(tf);
        } else {
            copyToAverage = List.of();
        }
    }

    private static List<Op> assignStats(Ops tf, Output<?>[] after, List<BatchNormVariables> norms,
                                        List<BatchNormVariables.Stats> values) {
        Ops ordered = tf.withControlDependencies(Arrays.<Op>asList(after));
        List<Op> assigns = new ArrayList<>();
        for (int i = 0; i < norms.size(); i++) {
            assigns.add(ordered.assign(norms.get(i).mean(), values.get(i).mean()));
            assigns.add(ordered.assign(norms.get(i).variance(), values.get(i).variance()));
        }
        return assigns;
    }

    private static Placeholder<TFloat32> augmentPlaceholder(Ops tf, String name, int batchSize) {
        return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(batchSize, DiffAugment.PARAMS)));
    }

    private static Output<?>[] outputs(List<Variable<TFloat32>> variables) {
        return variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    }
}
