package io.oshigan.dcgan;

/** What to build: the architecture and hyper-parameters, then the optional parts. */
public final class TrainingGraphBuilder {
    final Architecture architecture;
    final Hyperparameters hyperparameters;
    long seed;
    SessionThreads threads = SessionThreads.defaults();
    int fixedNoise = TrainingGraph.DEFAULT_FIXED_NOISE;
    SmallDataOptions options = SmallDataOptions.none();
    int batchSize;
    /** Null: as {@link Fp32WeightGradients#forMachine} says for this machine. */
    Fp32WeightGradients fp32WeightGradients;

    TrainingGraphBuilder(Architecture architecture, Hyperparameters hyperparameters) {
        this.architecture = architecture;
        this.hyperparameters = hyperparameters;
    }

    /** The weights' initialisation (G from it, D from it + 1000). */
    public TrainingGraphBuilder seed(long value) {
        this.seed = value;
        return this;
    }

    public TrainingGraphBuilder threads(SessionThreads value) {
        this.threads = value;
        return this;
    }

    /** Images of the fixed progress-grid noise kept in the state (64 by default). */
    public TrainingGraphBuilder fixedNoise(int count) {
        this.fixedNoise = count;
        return this;
    }

    /** Small-data options; DiffAugment needs the fixed batch size (its per-image shifts are per batch position). */
    public TrainingGraphBuilder smallData(SmallDataOptions value, int fixedBatchSize) {
        this.options = value;
        this.batchSize = fixedBatchSize;
        return this;
    }

    /**
     * Which convolutions' weight gradients are computed in float32 whatever the layers compute in (the input
     * gradients stay in the layers' precision): by default where that is faster ({@link Fp32WeightGradients#forMachine}).
     * The same gradients either way, to the precision's rounding.
     */
    public TrainingGraphBuilder fp32WeightGradients(Fp32WeightGradients value) {
        this.fp32WeightGradients = value;
        return this;
    }

    public TrainingGraph build() {
        if (options.diffAugment() && batchSize < 1) {
            throw new IllegalArgumentException("DiffAugment needs a fixed batch size");
        }
        // float32 where bf16 is asked for and this runtime computes it wrongly
        return new TrainingGraph(this,
                hyperparameters.in(Bf16Check.usable(hyperparameters.precision(), architecture, threads,
                        Bf16Check.Scope.TRAINING)));
    }
}
