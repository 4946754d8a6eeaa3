package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkShapesAndGradientsTest {
    static final Architecture SMALL = new Architecture(20, 8, 8);
    static final int BATCH = 3;

    @Test
    void everyLayerHasTheReferenceShape() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            GeneratorNetwork g = new GeneratorNetwork(tf, SMALL, 1);
            DiscriminatorNetwork d = new DiscriminatorNetwork(tf, SMALL, 2);
            Placeholder<TFloat32> z = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1, 1, SMALL.nz())));
            GeneratorNetwork.Result generated = g.forward(tf, z, true, g.runningStats(), Hyperparameters.reference());
            DiscriminatorNetwork.Result judged = d.forward(tf, generated.image(), true, d.runningStats(), Hyperparameters.reference());
            try (Session session = new Session(graph); TFloat32 noise = noise(BATCH, 1)) {
                session.initialize();
                Session.Runner runner = session.runner().feed(z, noise);
                generated.layers().forEach(runner::fetch);
                judged.layers().forEach(runner::fetch);
                runner.fetch(judged.logits());
                try (Result result = runner.run()) {
                    List<Shape> shapes = new ArrayList<>();
                    for (int i = 0; i < result.size(); i++) {
                        shapes.add(result.get(i).shape());
                    }
                    assertThat(shapes).containsExactly(
                            Shape.of(BATCH, 4, 4, 64), Shape.of(BATCH, 8, 8, 32), Shape.of(BATCH, 16, 16, 16),
                            Shape.of(BATCH, 32, 32, 8), Shape.of(BATCH, 96, 96, 3),
                            Shape.of(BATCH, 32, 32, 8), Shape.of(BATCH, 16, 16, 16), Shape.of(BATCH, 8, 8, 32),
                            Shape.of(BATCH, 4, 4, 64), Shape.of(BATCH, 1, 1, 1),
                            Shape.of(BATCH));
                }
            }
        }
    }

    @Test
    void eachLossHasGradientsForItsOwnNetworkOnly() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            GeneratorNetwork g = new GeneratorNetwork(tf, SMALL, 1);
            DiscriminatorNetwork d = new DiscriminatorNetwork(tf, SMALL, 2);
            Placeholder<TFloat32> z = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1, 1, SMALL.nz())));
            Placeholder<TFloat32> real = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 96, 96, 3)));
            Hyperparameters hp = Hyperparameters.reference();
            Operand<TFloat32> fake = g.forward(tf, z, true, g.runningStats(), hp).image();
            Operand<TFloat32> lossD = tf.math.add(
                    Losses.bce(tf, d.forward(tf, real, true, d.runningStats(), hp).logits(), 1f),
                    Losses.bce(tf, d.forward(tf, tf.stopGradient(fake), true, d.runningStats(), hp).logits(), 0f));
            Operand<TFloat32> lossG = Losses.bce(tf, d.forward(tf, fake, true, d.runningStats(), hp).logits(), 1f);

            Output<?>[] gradD = graph.addGradients(lossD.asOutput(), outputs(d.trainable()));
            Output<?>[] gradG = graph.addGradients(lossG.asOutput(), outputs(g.trainable()));
            // D's loss sees G's images through a stop-gradient: TensorFlow finds no gradient path to G's variables
            // and hands back empty outputs, that belong to no graph
            for (Output<?> none : graph.addGradients(lossD.asOutput(), outputs(g.trainable()))) {
                assertThatThrownBy(() -> none.op().name()).isInstanceOf(IllegalStateException.class);
            }
            assertThat(gradD.length).isEqualTo(d.trainable().size());
            assertThat(gradG.length).isEqualTo(g.trainable().size());

            try (Session session = new Session(graph); TFloat32 noise = noise(BATCH, 3); TFloat32 images = noise(BATCH, 4, 96, 96, 3)) {
                session.initialize();
                Session.Runner runner = session.runner().feed(z, noise).feed(real, images);
                for (Output<?> grad : gradD) {
                    runner.fetch(grad);
                }
                for (Output<?> grad : gradG) {
                    runner.fetch(grad);
                }
                try (Result result = runner.run()) {
                    for (int i = 0; i < result.size(); i++) {
                        double norm = squaredNorm(Tensors.values((TFloat32) result.get(i)));
                        assertThat(norm).as("gradient %d of its own network", i).isGreaterThan(0);
                    }
                }
            }
        }
    }

    @Test
    void aDStepChangesOnlyDAndAGStepOnlyG() {
        try (TrainingGraph training = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(5).threads(SessionThreads.defaults()).build();
             TFloat32 real = noise(BATCH, 6, 96, 96, 3); TFloat32 z = noise(BATCH, 7)) {
            List<String> gVars = names(training.generator().trainable());
            List<String> dVars = names(training.discriminator().trainable());
            List<float[]> gBefore = read(training, gVars);
            List<float[]> dBefore = read(training, dVars);

            training.trainDiscriminator(real, z);
            assertUnchanged(training, gVars, gBefore);
            assertEveryOneChanged(training, dVars, dBefore);

            List<float[]> dAfterD = read(training, dVars);
            training.trainGenerator(z);
            assertUnchanged(training, dVars, dAfterD);
            assertEveryOneChanged(training, gVars, gBefore);
        }
    }

    private static double squaredNorm(float[] values) {
        double norm = 0;
        for (float v : values) {
            norm += v * v;
        }
        return norm;
    }

    static TFloat32 noise(int batch, long seed, long... imageShape) {
        long[] shape = imageShape.length == 0 ? new long[]{batch, 1, 1, SMALL.nz()}
                : new long[]{batch, imageShape[0], imageShape[1], imageShape[2]};
        Random random = new Random(seed);
        float[] values = new float[(int) Shape.of(shape).size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = imageShape.length == 0 ? (float) random.nextGaussian() : random.nextFloat() * 2 - 1;
        }
        return Tensors.of(values, shape);
    }

    private static Output<?>[] outputs(List<Variable<TFloat32>> variables) {
        return variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    }

    private static List<String> names(List<Variable<TFloat32>> variables) {
        return variables.stream().map(v -> v.op().name()).toList();
    }

    private static List<float[]> read(TrainingGraph training, List<String> names) {
        return names.stream().map(n -> training.variables().read(n)).toList();
    }

    private static void assertUnchanged(TrainingGraph training, List<String> names, List<float[]> before) {
        for (int i = 0; i < names.size(); i++) {
            assertThat(training.variables().read(names.get(i))).as(names.get(i)).isEqualTo(before.get(i));
        }
    }

    private static void assertEveryOneChanged(TrainingGraph training, List<String> names, List<float[]> before) {
        for (int i = 0; i < names.size(); i++) {
            assertThat(training.variables().read(names.get(i))).as(names.get(i)).isNotEqualTo(before.get(i));
        }
    }
}
