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

/** The {@link TrainingState} as graph variables (train_step, train_epoch, train_seed, train_fixed_noise), so it is saved with the weights. */
final class StateVariables {
    private final Variable<TInt64> step;
    private final Variable<TInt64> epoch;
    private final Variable<TInt64> seed;
    private final Variable<TFloat32> fixedNoise;
    private final Placeholder<TInt64> stepIn;
    private final Placeholder<TInt64> epochIn;
    private final Placeholder<TInt64> seedIn;
    private final Placeholder<TFloat32> fixedNoiseIn;
    private final List<Op> assign;
    private final long[] noiseShape;

    StateVariables(Ops tf, Architecture architecture, int fixedNoiseCount) {
        noiseShape = new long[]{fixedNoiseCount, 1, 1, architecture.nz()};
        step = tf.withName("train_step").variable(tf.constant(0L));
        epoch = tf.withName("train_epoch").variable(tf.constant(0L));
        seed = tf.withName("train_seed").variable(tf.constant(0L));
        fixedNoise = tf.withName("train_fixed_noise").variable(tf.zeros(tf.constant(noiseShape), TFloat32.class));
        stepIn = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
        epochIn = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
        seedIn = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
        fixedNoiseIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(noiseShape)));
        assign = List.of(tf.assign(step, stepIn), tf.assign(epoch, epochIn), tf.assign(seed, seedIn),
                tf.assign(fixedNoise, fixedNoiseIn));
    }

    TrainingState read(Session session) {
        try (Result r = session.runner().fetch(step).fetch(epoch).fetch(seed).fetch(fixedNoise).run()) {
            return new TrainingState(((TInt64) r.get(0)).getLong(), ((TInt64) r.get(1)).getLong(),
                    ((TInt64) r.get(2)).getLong(), Tensors.values((TFloat32) r.get(3)));
        }
    }

    void write(Session session, TrainingState state) {
        try (TInt64 s = TInt64.scalarOf(state.step()); TInt64 e = TInt64.scalarOf(state.epoch());
             TInt64 seedValue = TInt64.scalarOf(state.seed()); TFloat32 noise = Tensors.of(state.fixedNoise(), noiseShape)) {
            Session.Runner runner = session.runner().feed(stepIn, s).feed(epochIn, e).feed(seedIn, seedValue)
                    .feed(fixedNoiseIn, noise);
            assign.forEach(runner::addTarget);
            runner.run().close();
        }
    }
}
