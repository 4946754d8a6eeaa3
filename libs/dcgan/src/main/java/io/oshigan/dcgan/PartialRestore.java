package io.oshigan.dcgan;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Restores every variable of a graph but those whose names start with a prefix, from a checkpoint that
 * {@link Session#save} wrote (its tensors are named as the variables). For a checkpoint from before variables were
 * added to a run's graph, e.g. the moving average of G. The ops are added to the graph once, on first use.
 */
final class PartialRestore {
    private final Placeholder<TString> file;
    private final List<Op> assigns = new ArrayList<>();

    @SuppressWarnings({"unchecked", "rawtypes"})
    PartialRestore(Graph graph, String leftOut) {
        List<GraphOperation> variables = new ArrayList<>();
        graph.operations().forEachRemaining(op -> {
            if (op.type().equals("VariableV2") && !op.name().startsWith(leftOut)) {
                variables.add(op);
            }
        });
        Ops tf = Ops.create(graph).withSubScope("restore_all_but_" + leftOut);
        String[] names = variables.stream().map(GraphOperation::name).toArray(String[]::new);
        List<Class<? extends TType>> types = new ArrayList<>();
        variables.forEach(v -> types.add(v.output(0).type()));
        file = tf.placeholder(TString.class);
        String[] wholeTensors = new String[names.length];
        java.util.Arrays.fill(wholeTensors, "");
        Restore restore = tf.train.restore(file, tf.constant(StandardCharsets.UTF_8, names),
                tf.constant(StandardCharsets.UTF_8, wholeTensors), types);
        for (int i = 0; i < names.length; i++) {
            assigns.add(tf.assign((Operand) variables.get(i).output(0), (Operand) restore.tensors().get(i)));
        }
    }

    void run(Session session, Path prefix) {
        try (TString name = TString.scalarOf(prefix.toString())) {
            Session.Runner runner = session.runner().feed(file, name);
            assigns.forEach(runner::addTarget);
            runner.run().close();
        }
    }
}
