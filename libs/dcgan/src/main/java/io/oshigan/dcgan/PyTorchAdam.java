package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Adam exactly as PyTorch computes it: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps). Written out because the framework Adam of TF Java
 * 1.1.0 advances its beta powers before ApplyAdam reads them (every first step 0.744x too small). Every op waits for
 * all gradients, so no variable changes while backpropagation still reads it. Slots: {@code <var>_m}, {@code <var>_v};
 * step counter {@code <name>_t}.
 */
final class PyTorchAdam {
    private PyTorchAdam() {
    }

    static List<Op> minimize(Ops tf, String name, List<Variable<TFloat32>> variables, Output<?>[] gradients,
                             float learningRate, float beta1, float beta2, float epsilon) {
        Ops after = tf.withControlDependencies(Arrays.<Op>asList(gradients));
        Variable<TFloat32> t = tf.withName(name + "_t").variable(tf.constant(0f));
        Operand<TFloat32> step = after.math.add(t, after.constant(1f));
        Operand<TFloat32> one = after.constant(1f);
        Operand<TFloat32> correction1 = after.math.sub(one, after.math.pow(after.constant(beta1), step));
        Operand<TFloat32> correction2Sqrt = after.math.sqrt(after.math.sub(one, after.math.pow(after.constant(beta2), step)));
        Operand<TFloat32> stepSize = after.math.div(after.constant(learningRate), correction1);

        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            Variable<TFloat32> w = variables.get(i);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) gradients[i];
            String varName = w.op().name();
            Variable<TFloat32> m = tf.withName(varName + "_m").variable(tf.zeros(tf.constant(w.shape().asArray()), TFloat32.class));
            Variable<TFloat32> v = tf.withName(varName + "_v").variable(tf.zeros(tf.constant(w.shape().asArray()), TFloat32.class));
            Operand<TFloat32> mNext = after.math.add(after.math.mul(m, after.constant(beta1)),
                    after.math.mul(g, after.constant(1 - beta1)));
            Operand<TFloat32> vNext = after.math.add(after.math.mul(v, after.constant(beta2)),
                    after.math.mul(after.math.mul(g, g), after.constant(1 - beta2)));
            Operand<TFloat32> denominator = after.math.add(after.math.div(after.math.sqrt(vNext), correction2Sqrt),
                    after.constant(epsilon));
            Operand<TFloat32> delta = after.math.mul(stepSize, after.math.div(mNext, denominator));
            updates.add(after.assign(m, mNext));
            updates.add(after.assign(v, vNext));
            updates.add(after.assignSub(w, delta));
        }
        updates.add(tf.withControlDependencies(updates).assign(t, step));
        return updates;
    }
}
