package io.oshigan.trainer.config;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.trainer.domain.Retention;
import io.oshigan.trainer.domain.RunParameters;
import io.oshigan.trainer.domain.RunSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/** The trainer's configuration (env OSHIGAN_TRAINER_...); the run keys are the defaults of new runs. */
@ConfigMapping(prefix = "oshigan.trainer")
public interface TrainerConfig {
    /** Start training on its own at start-up (it then waits for enough faces). */
    @WithDefault("true")
    boolean autostart();

    Run run();

    /** The defaults of a new run: a key for every {@link RunParameters} component, named as it is. */
    interface Run {
        @WithName("id")
        @WithDefault("run-1")
        String runId();

        @WithDefault("" + Architecture.DEFAULT_NZ)
        int nz();

        @WithDefault("" + Architecture.DEFAULT_NGF)
        int ngf();

        @WithDefault("" + Architecture.DEFAULT_NDF)
        int ndf();

        @WithDefault("" + RunSettings.DEFAULT_BATCH)
        int batchSize();

        @WithDefault("" + Hyperparameters.DEFAULT_LR_G)
        float lrG();

        @WithDefault("" + Hyperparameters.DEFAULT_LR_D)
        float lrD();

        @WithDefault("" + Hyperparameters.DEFAULT_BETA1)
        float beta1();

        @WithDefault("" + Hyperparameters.DEFAULT_BETA2)
        float beta2();

        /** G trains on every n-th batch. */
        @WithDefault("" + RunSettings.DEFAULT_GENERATOR_EVERY)
        int generatorEvery();

        @WithDefault("42")
        long seed();

        /** Faces needed before training starts; at least one batch (not a parameter of a request). */
        Optional<Integer> minImages();

        @WithDefault("false")
        boolean labelSmoothing();

        /** DiffAugment (colour, translation, cutout) on every input of D. */
        @WithDefault("false")
        boolean diffAugment();

        /** Exponential moving average of G's weights for grids and exports; 0 = off, e.g. 0.999. */
        @WithDefault("0")
        float emaDecay();

        @WithDefault("" + RunSettings.DEFAULT_GRID_IMAGES)
        int gridImages();

        /**
         * What the layers compute in: {@code fp32}, or {@code bf16} (mixed precision, faster on CPUs and GPUs with
         * bfloat16 units; weights and checkpoints stay float32, a run may switch on resume).
         */
        @WithDefault("fp32")
        io.oshigan.dcgan.Precision precision();
    }

    Checkpoint checkpoint();

    interface Checkpoint {
        @WithDefault("" + RunSettings.DEFAULT_CHECKPOINT_EPOCHS)
        int everyEpochs();

        @WithDefault("" + RunSettings.DEFAULT_CHECKPOINT_MINUTES)
        int everyMinutes();

        /** The newest checkpoints kept (at least 1). */
        @WithDefault("" + Retention.DEFAULT_KEEP)
        int keep();

        /** Besides those, every n-th checkpoint of a run (its ordinal in the manifest) is kept as history (at least 1). */
        @WithDefault("" + Retention.DEFAULT_HISTORY_EVERY)
        int historyEvery();
    }

    /**
     * Where training runs: {@code auto} (a GPU when TensorFlow sees one), {@code cpu}, or {@code gpu}: then a trainer
     * that sees no GPU fails its run with the reason (readiness DOWN) instead of training on the CPU.
     */
    @WithDefault("auto")
    io.oshigan.dcgan.ComputeDevice device();

    /** TensorFlow thread pools; 0 = one per core. */
    @WithDefault("0")
    int intraOpThreads();

    @WithDefault("0")
    int interOpThreads();

    /**
     * Memory a training step may take outside the heap (StepMemory): runs whose estimate is larger are refused. Unset:
     * this machine's (its container's) memory less the heap and 1 GB. Not checked when device=gpu (the GPU's memory
     * holds the step).
     */
    java.util.Optional<io.quarkus.runtime.configuration.MemorySize> stepMemory();

    /** Decoded faces kept in memory before spilling to local disk. */
    @WithDefault("2048")
    int cacheMemoryMb();

    @WithDefault("${java.io.tmpdir}/oshigan-trainer")
    String workDir();

    /** Seconds between progress lines in the log. */
    @WithDefault("30")
    int progressLogSeconds();

    /**
     * Synthetic cartoon faces to put into the faces bucket at start-up and train on (demo mode); 0 = none, and those
     * an earlier demo left there ({@code crops/demo/}) are left out.
     */
    @WithDefault("0")
    int demoFaces();

    /** The configured defaults of a new run, each {@link RunParameters} component from the key of its name. */
    default RunParameters runDefaults() {
        Run run = run();
        return RunParameters.fromNamed(name -> {
            try {
                return Run.class.getMethod(name).invoke(run);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("oshigan.trainer.run has no key for the run parameter " + name, e);
            }
        });
    }

    /** Which checkpoints stay; refused with the key's name where a value makes no sense. */
    default Retention retention() {
        try {
            return new Retention(checkpoint().keep(), checkpoint().historyEvery());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("oshigan.trainer.checkpoint." + e.getMessage(), e);
        }
    }

    default RunParameters.Schedule runSchedule() {
        return new RunParameters.Schedule(run().minImages().orElse(0), checkpoint().everyEpochs(),
                checkpoint().everyMinutes(), run().gridImages());
    }

    default RunSettings defaultRun() {
        return runDefaults().toSettings(runSchedule());
    }
}
