package io.oshigan.trainer.training;

import io.oshigan.trainer.domain.FaceDataset;
import org.jboss.logging.Logger;

import java.time.Duration;

/** The trainer's live numbers: state, losses, speed, ETA; and the rate-limited progress line. */
final class TrainingProgress {
    private static final Logger LOG = Logger.getLogger(TrainingProgress.class);

    private final long logEveryNanos;
    private volatile TrainerStatus.State state = TrainerStatus.State.STARTING;
    private volatile TrainingRun run;
    private volatile TrainerStatus.LastCheckpoint lastCheckpoint;
    private volatile String lastGrid;
    private volatile String message;
    private volatile String device;
    private volatile double imagesPerSecond;
    private volatile long lastCheckpointNanos = System.nanoTime();
    private long lastLogNanos = System.nanoTime();

    TrainingProgress(int logEverySeconds) {
        this.logEveryNanos = Duration.ofSeconds(logEverySeconds).toNanos();
    }

    void state(TrainerStatus.State newState) {
        state = newState;
    }

    TrainerStatus.State state() {
        return state;
    }

    void device(String used) {
        device = used;
    }

    String device() {
        return device;
    }

    /** The run under way (or failed last), null before the first. */
    TrainingRun run() {
        return run;
    }

    void newRun(TrainingRun newRun, TrainerStatus.LastCheckpoint resumedFrom) {
        run = newRun;
        lastGrid = null; // the run before's: a checkpoint event of this one must not name it
        lastCheckpoint = resumedFrom;
        lastCheckpointNanos = System.nanoTime();
        imagesPerSecond = 0;
    }

    void stepDone(TrainingRun current, TrainingRun.Step step, long nanos) {
        double rate = current.settings().batchSize() / (nanos / 1e9);
        imagesPerSecond = imagesPerSecond == 0 ? rate : 0.9 * imagesPerSecond + 0.1 * rate;
        long now = System.nanoTime();
        if (now - lastLogNanos >= logEveryNanos) {
            lastLogNanos = now;
            LOG.infof("progress run=%s epoch=%d batch=%d/%d step=%d lossD=%.4f lossG=%.4f img/s=%.1f eta-epoch=%ss",
                    current.settings().runId(), step.epoch(), current.batchInEpoch(), current.batchesPerEpoch(),
                    step.step(), current.epochLosses().meanD(), current.epochLosses().meanG(), imagesPerSecond,
                    eta(current));
        }
    }

    void gridWritten(String key) {
        lastGrid = key;
    }

    String lastGrid() {
        return lastGrid;
    }

    void checkpointed(TrainerStatus.LastCheckpoint checkpoint) {
        lastCheckpoint = checkpoint;
        lastCheckpointNanos = System.nanoTime();
    }

    long minutesSinceCheckpoint() {
        return Duration.ofNanos(System.nanoTime() - lastCheckpointNanos).toMinutes();
    }

    void failed(String why) {
        state = TrainerStatus.State.FAILED;
        message = why;
    }

    TrainerStatus status(FaceDataset dataset) {
        TrainingRun current = run;
        if (current == null) {
            return new TrainerStatus(state, null, 0, 0, 0, 0, 0, 0, 0, null, dataset.size() - dataset.excludedCount(),
                    dataset.excludedCount(), dataset.pendingCount(), dataset.duplicateCount(), lastCheckpoint, message, device, null);
        }
        return new TrainerStatus(state, current.settings().runId(), current.epoch(), current.step(),
                current.batchInEpoch(), current.batchesPerEpoch(), current.epochLosses().meanD(),
                current.epochLosses().meanG(), imagesPerSecond, eta(current), dataset.size() - dataset.excludedCount(),
                dataset.excludedCount(), dataset.pendingCount(), dataset.duplicateCount(), lastCheckpoint, message, device,
                current.precision().toString());
    }

    private Long eta(TrainingRun current) {
        if (imagesPerSecond <= 0) {
            return null;
        }
        long batchesLeft = current.batchesPerEpoch() - current.batchInEpoch();
        return Math.round(batchesLeft * current.settings().batchSize() / imagesPerSecond);
    }
}
