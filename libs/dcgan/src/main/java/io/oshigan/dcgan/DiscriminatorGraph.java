package io.oshigan.dcgan;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.nio.file.Path;

/** D alone in inference mode (running statistics): how real each image looks, for ranking samples. */
public final class DiscriminatorGraph implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TFloat32> images;
    private final Operand<TFloat32> probability;

    public DiscriminatorGraph(Architecture architecture, SessionThreads threads) {
        Ops tf = Ops.create(graph);
        DiscriminatorNetwork discriminator = new DiscriminatorNetwork(tf, architecture, 0);
        images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, Architecture.IMAGE_SIZE,
                Architecture.IMAGE_SIZE, Architecture.CHANNELS)));
        probability = tf.math.sigmoid(discriminator.forward(tf, images, false, discriminator.runningStats(),
                Hyperparameters.reference()).logits());
        session = new Session(graph, threads.config());
    }

    /** Loads D's weights from a training checkpoint; fails when the checkpoint has none (an imported generator). */
    public void restore(Path checkpointPrefix) {
        session.restore(checkpointPrefix.toString());
    }

    /** Probability of being real for each of n images [n,96,96,3]. */
    public synchronized float[] score(float[] pixels, int n) {
        try (TFloat32 in = Tensors.of(pixels, n, Architecture.IMAGE_SIZE, Architecture.IMAGE_SIZE, Architecture.CHANNELS);
             Result result = session.runner().feed(images, in).fetch(probability).run()) {
            return Tensors.values((TFloat32) result.get(0));
        }
    }

    @Override
    public synchronized void close() {
        session.close();
        graph.close();
    }
}
