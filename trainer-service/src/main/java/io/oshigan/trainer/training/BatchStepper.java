package io.oshigan.trainer.training;

import io.oshigan.dcgan.translate.FaceImages;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.StorageException;
import io.oshigan.support.retry.TransientFailureException;
import io.oshigan.support.retry.TransientRetry;
import io.oshigan.trainer.domain.CheckpointPolicy;
import io.oshigan.trainer.messaging.CheckpointEvents;
import org.jboss.logging.Logger;

/** One batch of a run and what follows it: progress, loss history, the epoch's grid, a due checkpoint. */
final class BatchStepper {
    private static final Logger LOG = Logger.getLogger(BatchStepper.class);

    private final TrainingProgress progress;
    private final LossHistory history;
    private final CheckpointStore models;
    private final CheckpointKeeper checkpoints;
    private final TransientRetry retry;
    private final java.util.function.BooleanSupplier stopping;
    private CheckpointPolicy policy = new CheckpointPolicy(1, Integer.MAX_VALUE);

    BatchStepper(TrainingProgress progress, LossHistory history, CheckpointStore models, CheckpointKeeper checkpoints,
                 TransientRetry retry, java.util.function.BooleanSupplier stopping) {
        this.progress = progress;
        this.retry = retry;
        this.stopping = stopping;
        this.history = history;
        this.models = models;
        this.checkpoints = checkpoints;
    }

    /** A new run: its own checkpoint schedule and history. */
    void startRun(TrainingRun run) {
        policy = new CheckpointPolicy(run.settings().checkpointEveryEpochs(), run.settings().checkpointEveryMinutes());
        history.clear();
    }

    /** @throws TransientFailureException a due checkpoint could not be stored or announced within a round of retries */
    void trainOneBatch(TrainingRun run) {
        progress.state(TrainerStatus.State.TRAINING);
        long started = System.nanoTime();
        TrainingRun.Step step = run.trainBatch();
        progress.stepDone(run, step, System.nanoTime() - started);
        if (step.step() % 10 == 0) {
            history.add(new LossHistory.Point(step.step(), step.epoch(), run.epochLosses().meanD(), run.epochLosses().meanG()));
        }
        if (step.epochEnded()) {
            storeGrid(run, step);
        }
        if (policy.afterBatch(step.epochEnded(), step.epoch(), progress.minutesSinceCheckpoint())) {
            progress.state(TrainerStatus.State.CHECKPOINTING);
            // S3 or Kafka away (a restart, a network blip) is waited out; a stored checkpoint whose announcement was
            // refused is announced again, not written again
            progress.checkpointed(retry.call("checkpoint of run " + run.settings().runId(), () -> {
                try {
                    return checkpoints.save(run, progress.lastGrid());
                } catch (CheckpointEvents.AnnouncementFailedException e) {
                    throw new TransientFailureException("announcing the checkpoint", e);
                }
            }, stopping));
            policy.stored();
        }
    }

    /**
     * Before a run switch or a stop: the state as it is now is stored, whatever is still unannounced, unless nothing
     * trained since its last checkpoint. With the broker away it is stored and stays unannounced (the sampler's
     * catch-up finds it): the switch or the stop goes on.
     */
    void saveFinalCheckpoint(TrainingRun run) {
        progress.state(TrainerStatus.State.CHECKPOINTING);
        try {
            checkpoints.saveCurrent(run, progress.lastGrid()).ifPresent(progress::checkpointed);
        } catch (CheckpointEvents.AnnouncementFailedException e) {
            LOG.warnf("run %s: its checkpoint at step %d is stored but not announced: %s", run.settings().runId(),
                    run.step(), e.getMessage());
        }
    }

    /** A progress picture: one lost to an outage is logged and skipped, the training goes on. */
    private void storeGrid(TrainingRun run, TrainingRun.Step step) {
        try {
            String grid = models.uploadGrid(run.settings().runId(), (int) step.epoch(),
                    FaceImages.encode(run.gridImages(), run.settings().gridImages(), 8, FaceImages.Format.PNG));
            progress.gridWritten(grid);
            LOG.infof("epoch %d done: step %d, loss D %.4f, G %.4f, grid %s", step.epoch(), step.step(),
                    run.epochLosses().meanD(), run.epochLosses().meanG(), grid);
        } catch (StorageException e) {
            LOG.warnf("epoch %d done: step %d; its grid was not stored: %s", step.epoch(), step.step(), e.getMessage());
        }
    }
}
