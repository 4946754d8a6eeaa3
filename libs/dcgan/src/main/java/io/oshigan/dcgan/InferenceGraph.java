package io.oshigan.dcgan;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * G alone, batch norm with the running statistics (inference mode), so one latent vector always gives the same
 * image whatever else is in the batch. Variables carry the training graph's names, so a training checkpoint restores
 * into it directly.
 */
public final class InferenceGraph implements AutoCloseable {
    public static final String SIGNATURE_KEY = "serving_default";
    public static final String INPUT = "z";
    public static final String OUTPUT = "image";

    private final Graph graph = new Graph();
    private final Ops tf = Ops.create(graph);
    private final Session session;
    private final Placeholder<TFloat32> z;
    private final Operand<TFloat32> image;
    private final Architecture architecture;
    private final VariableAccess access;

    public InferenceGraph(Architecture architecture, SessionThreads threads) {
        this.architecture = architecture;
        GeneratorNetwork generator = new GeneratorNetwork(tf, architecture, 0);
        z = tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1, 1, architecture.nz())));
        image = tf.withName(OUTPUT).identity(
                generator.forward(tf, z, false, generator.runningStats(), Hyperparameters.reference()).image());
        session = new Session(graph, threads.config());
        access = new VariableAccess(graph, tf, session);
    }

    /** Loads G's weights and running statistics from a TensorFlow checkpoint prefix (other tensors are ignored). */
    public void restore(Path checkpointPrefix) {
        session.restore(checkpointPrefix.toString());
    }

    /** Writes G's variables as a TensorFlow checkpoint under a prefix. */
    public void save(Path checkpointPrefix) {
        session.save(checkpointPrefix.toString());
    }

    /** Random initial weights, for an untrained generator. */
    public void initialize() {
        session.initialize();
    }

    /** [N,1,1,nz] latent vectors to [N,96,96,3] images in [-1, 1], NHWC, flattened. */
    public float[] generate(TFloat32 latent) {
        try (Result result = session.runner().feed(z, latent).fetch(image).run()) {
            return Tensors.values((TFloat32) result.get(0));
        }
    }

    /** Writes a SavedModel with one signature, {@value #INPUT} -> {@value #OUTPUT}, runnable without our code. */
    public void exportSavedModel(Path directory) {
        try {
            SavedModelBundle.exporter(directory.toString())
                    .withSession(session)
                    .withSignature(Signature.builder().key(SIGNATURE_KEY).input(INPUT, z).output(OUTPUT, image).build())
                    .export();
        } catch (IOException e) {
            throw new UncheckedIOException("exporting the generator to " + directory + " failed", e);
        }
    }

    public VariableAccess variables() {
        return access;
    }

    public Architecture architecture() {
        return architecture;
    }

    @Override
    public void close() {
        access.close();
        session.close();
        graph.close();
    }
}
