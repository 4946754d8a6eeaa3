package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** One batch-norm layer's parameters (gamma, beta) and running statistics, named {@code <prefix>_bn<i>_<field>}. */
public record BatchNormVariables(Variable<TFloat32> gamma, Variable<TFloat32> beta,
                                 Variable<TFloat32> mean, Variable<TFloat32> variance) {

    /** The running statistics as they flow through one training step (chained when a layer runs twice). */
    public record Stats(Operand<TFloat32> mean, Operand<TFloat32> variance) {
    }

    public Stats stats() {
        return new Stats(mean, variance);
    }
}
