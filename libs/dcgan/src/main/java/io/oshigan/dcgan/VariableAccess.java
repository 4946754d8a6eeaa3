package io.oshigan.dcgan;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.util.HashMap;
import java.util.Map;

/** Reads and writes float variables by name (weight interchange, tests). Writers are added to the graph on first use. */
public final class VariableAccess implements AutoCloseable {
    private final Graph graph;
    private final Ops tf;
    private final Session session;
    private final Map<String, Writer> writers = new HashMap<>();

    private record Writer(Placeholder<TFloat32> value, Assign<TFloat32> assign) {
    }

    VariableAccess(Graph graph, Ops tf, Session session) {
        this.graph = graph;
        this.tf = tf;
        this.session = session;
    }

    public float[] read(String name) {
        return read(session, name);
    }

    /** A float variable's values from any session whose graph has it, e.g. a loaded SavedModel's. */
    static float[] read(Session session, String name) {
        try (Result result = session.runner().fetch(name).run()) {
            return Tensors.values((TFloat32) result.get(0));
        }
    }

    public Shape shape(String name) {
        return operation(name).output(0).shape();
    }

    public synchronized void write(String name, float[] values) {
        Writer writer = writers.computeIfAbsent(name, n -> {
            Operand<TFloat32> variable = operation(n).<TFloat32>output(0);
            Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(variable.shape()));
            return new Writer(value, tf.assign(variable, value));
        });
        try (TFloat32 tensor = Tensors.of(values, shape(name).asArray())) {
            session.runner().feed(writer.value(), tensor).addTarget(writer.assign()).run().close();
        }
    }

    private GraphOperation operation(String name) {
        GraphOperation op = graph.operation(name);
        if (op == null) {
            throw new IllegalArgumentException("no variable named " + name);
        }
        return op;
    }

    @Override
    public void close() {
        writers.clear();
    }
}
