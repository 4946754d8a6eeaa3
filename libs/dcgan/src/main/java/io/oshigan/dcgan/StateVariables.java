package io.oshigan.dcgan;

import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

import java.util.List;

/** The {@link TrainingState} as graph variables (train_*), so it is saved with the weights. */
final class StateVariables {
    private static final int COUNTERS = 5;

    private final Variable<TInt64> counters;
    private final Variable<TFloat32> fixedNoise;
    private final Placeholder<TInt64> countersIn;
    private final Placeholder<TFloat32> fixedNoiseIn;
    private final List<Op> assign;
    private final long[] noiseShape;

    StateVariables(Ops tf, Architecture architecture, int fixedNoiseCount) {
        noiseShape = new long[]{fixedNoiseCount, 1, 1, architecture.nz()};
        // step, epoch, batch in epoch, epoch data-set size, seed
        counters = tf.withName("train_counters").variable(tf.zeros(tf.constant(new long[]{COUNTERS}), TInt64.class));
        fixedNoise = tf.withName("train_fixed_noise").variable(tf.zeros(tf.constant(noiseShape), TFloat32.class));
        countersIn = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(COUNTERS)));
        fixedNoiseIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(noiseShape)));
        assign = List.of(tf.assign(counters, countersIn), tf.assign(fixedNoise, fixedNoiseIn));
    }

    TrainingState read(Session session) {
        try (Result r = session.runner().fetch(counters).fetch(fixedNoise).run()) {
            TInt64 c = (TInt64) r.get(0);
            return new TrainingState(c.getLong(0), c.getLong(1), c.getLong(2), c.getLong(3), c.getLong(4),
                    Tensors.values((TFloat32) r.get(1)));
        }
    }

    void write(Session session, TrainingState state) {
        if (state.fixedNoise().length != Shape.of(noiseShape).size()) {
            throw new IllegalArgumentException("fixed noise needs " + Shape.of(noiseShape).size() + " values but has "
                    + state.fixedNoise().length);
        }
        try (TInt64 c = TInt64.vectorOf(state.step(), state.epoch(), state.batchInEpoch(), state.epochDatasetSize(), state.seed());
             TFloat32 noise = Tensors.of(state.fixedNoise(), noiseShape)) {
            Session.Runner runner = session.runner().feed(countersIn, c).feed(fixedNoiseIn, noise);
            assign.forEach(runner::addTarget);
            runner.run().close();
        }
    }
}
