package io.oshigan.dcgan;

import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

/** What G and D share: convolution weights and batch-norm layers, and the views the optimiser and the graphs need. */
abstract class Network {
    protected final List<Variable<TFloat32>> weights = new ArrayList<>();
    protected final List<BatchNormVariables> norms = new ArrayList<>();

    /** The running statistics as they are before a step. */
    public List<BatchNormVariables.Stats> runningStats() {
        return norms.stream().map(BatchNormVariables::stats).toList();
    }

    /** Weights, gammas and betas: what the optimiser changes. */
    public List<Variable<TFloat32>> trainable() {
        List<Variable<TFloat32>> all = new ArrayList<>(weights);
        norms.forEach(n -> {
            all.add(n.gamma());
            all.add(n.beta());
        });
        return all;
    }

    public List<BatchNormVariables> norms() {
        return norms;
    }
}
