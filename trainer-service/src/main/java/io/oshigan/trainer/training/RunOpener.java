package io.oshigan.trainer.training;

import io.oshigan.dcgan.CpuFeatures;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.support.retry.TransientRetry;
import io.oshigan.trainer.config.TrainerConfig;
import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.trainer.domain.RunSettings;
import io.oshigan.trainer.domain.StepMemory;
import org.jboss.logging.Logger;

import java.util.function.BooleanSupplier;

import static io.oshigan.dcgan.Bf16Check.Scope.TRAINING;

/** Opens a run for the training loop: its memory checked, its graph built, its checkpoint resumed, its setup logged. */
final class RunOpener {
    private static final Logger LOG = Logger.getLogger(RunOpener.class);

    private final TrainerConfig config;
    private final FaceDataset dataset;
    private final TrainingProgress progress;
    private final StoredFaces stored;
    private final CheckpointKeeper checkpoints;
    private final TransientRetry retry;
    private final BooleanSupplier stopping;

    RunOpener(TrainerConfig config, FaceDataset dataset, TrainingProgress progress, StoredFaces stored,
              CheckpointKeeper checkpoints, TransientRetry retry, BooleanSupplier stopping) {
        this.config = config;
        this.dataset = dataset;
        this.progress = progress;
        this.stored = stored;
        this.checkpoints = checkpoints;
        this.retry = retry;
        this.stopping = stopping;
    }

    /** Why a step of {@code settings} would not fit this trainer's memory (StepMemory); not checked on a GPU. */
    java.util.Optional<String> memoryRefusal(RunSettings settings) {
        if (config.device() == io.oshigan.dcgan.ComputeDevice.GPU) {
            return java.util.Optional.empty();
        }
        long available = config.stepMemory().map(io.quarkus.runtime.configuration.MemorySize::asLongValue).orElseGet(() ->
                io.oshigan.support.config.ProcessMemory.total() - Runtime.getRuntime().maxMemory() - (1L << 30));
        return StepMemory.refusal(settings, available);
    }

    /**
     * The run's graph built, its device checked, its newest checkpoint restored (S3 away waited out) and what it runs
     * on logged; the caller closes it.
     *
     * @throws IllegalArgumentException its step would not fit this trainer's memory
     */
    TrainingRun open(RunSettings settings) {
        memoryRefusal(settings).ifPresent(reason -> {
            throw new IllegalArgumentException("run " + settings.runId() + " not started: " + reason);
        });
        SessionThreads threads = config.device().apply(new SessionThreads(config.intraOpThreads(), config.interOpThreads()));
        TrainingRun run = new TrainingRun(settings, dataset, threads);
        try {
            progress.device(config.device().check(run.devices()));
            stored.refreshExclusions(retry); // a resumed epoch leaves out what is excluded now
            // S3 away as a run opens (a start, a switch) is waited out, as at the start's listing, not a failed run
            progress.newRun(run, retry.untilDone("resume run " + settings.runId(), () -> checkpoints.resume(run),
                    stopping).orElse(null));
        } catch (RuntimeException e) {
            run.close(); // its graph and session are native memory: a run that cannot resume does not keep them
            throw e;
        }
        LOG.infof("run %s: %s, batch %d, G every %d, seed %d, %s", settings.runId(), settings.architecture(),
                settings.batchSize(), settings.generatorEvery(), run.settings().seed(), settings.hyperparameters());
        LOG.infof("TensorFlow %s trains on %s (device=%s) in %s%s; CPU: %s", org.tensorflow.TensorFlow.version(),
                progress.device(), config.device().name().toLowerCase(), run.precision(),
                run.fp32WeightGradients().note(),
                CpuFeatures.ofThisMachine().describe());
        if (run.precision() == io.oshigan.dcgan.Precision.BF16) { // the figures the check passed on
            LOG.info(io.oshigan.dcgan.Bf16Check.verdict(settings.architecture(), threads, TRAINING).detail());
        }
        io.oshigan.dcgan.Bf16Check.fallback(settings.hyperparameters().precision(), settings.architecture(), threads,
                TRAINING).ifPresent(LOG::warn);
        run.precision().slowHere(CpuFeatures.ofThisMachine(), progress.device().contains("GPU"),
                System.getenv("TF_ENABLE_ONEDNN_OPTS")).ifPresent(LOG::warn);
        return run;
    }
}
