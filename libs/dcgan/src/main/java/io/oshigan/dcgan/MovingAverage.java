package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of G's weights (variables {@code Gema_*}): a second generator whose weights follow
 * G's after every G step and which normalises with G's running statistics. Starts as an exact copy of G.
 */
final class MovingAverage {
    /** Its variables' names start with this and "_": {@code Gema_w0}, ... */
    static final String NAME = "Gema";

    private final GeneratorNetwork generator;
    private final GeneratorNetwork average;

    MovingAverage(Ops tf, GeneratorNetwork generator, long seed) {
        this.generator = generator;
        this.average = new GeneratorNetwork(tf, generator.architecture(), seed, NAME);
    }

    /** The averaged generator's images, inference mode. */
    Operand<TFloat32> image(Ops tf, Operand<TFloat32> z, Hyperparameters hp) {
        return average.forward(tf, z, false, generator.runningStats(), hp).image();
    }

    /** average = decay * average + (1 - decay) * weight, for every trainable of G, after the given ops. */
    List<Op> updates(Ops tf, List<Op> after, float decay) {
        Ops ordered = after.isEmpty() ? tf : tf.withControlDependencies(new ArrayList<>(after));
        List<Variable<TFloat32>> weights = generator.trainable();
        List<Variable<TFloat32>> averages = average.trainable();
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            updates.add(ordered.assign(averages.get(i), ordered.math.add(
                    ordered.math.mul(averages.get(i), ordered.constant(decay)),
                    ordered.math.mul(weights.get(i), ordered.constant(1f - decay)))));
        }
        return updates;
    }

    /** Ops that make the average an exact copy of G (run once after initialisation). */
    List<Op> copy(Ops tf) {
        return updates(tf, List.of(), 0f);
    }

    List<Variable<TFloat32>> weights() {
        return average.trainable();
    }
}
