package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;

/**
 * Creates variables under stable, explicit names, because checkpoints are restored by name into other graphs.
 * Initialisation as in the DCGAN paper: weights N(0, 0.02), batch-norm gamma N(1, 0.02), beta 0; running mean 0,
 * running variance 1. Random ops carry seeds, so a seed gives the same initial model every time.
 */
final class Variables {
    static final float INIT_STDDEV = 0.02f;

    private final Ops tf;
    private long seed;

    Variables(Ops tf, long seed) {
        this.tf = tf;
        this.seed = seed;
    }

    Variable<TFloat32> weight(String name, long... shape) {
        return tf.withName(name).variable(normal(0f, shape));
    }

    BatchNormVariables batchNorm(String prefix, int channels) {
        return new BatchNormVariables(
                tf.withName(prefix + "_gamma").variable(normal(1f, channels)),
                tf.withName(prefix + "_beta").variable(tf.zeros(tf.constant(new long[]{channels}), TFloat32.class)),
                tf.withName(prefix + "_mean").variable(tf.zeros(tf.constant(new long[]{channels}), TFloat32.class)),
                tf.withName(prefix + "_var").variable(tf.fill(tf.constant(new long[]{channels}), tf.constant(1f))));
    }

    private Operand<TFloat32> normal(float mean, long... shape) {
        seed++;
        Operand<TFloat32> standard = tf.random.randomStandardNormal(tf.constant(Shape.of(shape).asArray()),
                TFloat32.class, RandomStandardNormal.seed(seed), RandomStandardNormal.seed2(seed * 7919));
        return tf.math.add(tf.math.mul(standard, tf.constant(INIT_STDDEV)), tf.constant(mean));
    }
}
