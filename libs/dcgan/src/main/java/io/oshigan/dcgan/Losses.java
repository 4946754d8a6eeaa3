package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Binary cross-entropy on logits, the numerically stable form of BCELoss(sigmoid(x)). */
final class Losses {
    private Losses() {
    }

    /** mean(max(x, 0) - x * y + log(1 + exp(-|x|))) for a constant label y. */
    static Operand<TFloat32> bce(Ops tf, Operand<TFloat32> logits, float label) {
        Operand<TFloat32> perImage = tf.math.add(
                tf.math.sub(tf.math.maximum(logits, tf.constant(0f)), tf.math.mul(logits, tf.constant(label))),
                tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
        return tf.math.mean(perImage, tf.constant(0));
    }
}
