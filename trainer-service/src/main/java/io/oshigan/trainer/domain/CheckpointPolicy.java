package io.oshigan.trainer.domain;

/**
 * When a run stores a checkpoint: at the end of every N-th epoch, and whenever M minutes have passed since the last
 * one. A due checkpoint stays due until one is stored (an outage postpones it, never skips it).
 */
public final class CheckpointPolicy {
    private final int everyEpochs;
    private final int everyMinutes;
    private boolean due;

    public CheckpointPolicy(int everyEpochs, int everyMinutes) {
        this.everyEpochs = Math.max(1, everyEpochs);
        this.everyMinutes = everyMinutes;
    }

    /** After a batch: true when a checkpoint should be stored now. */
    public boolean afterBatch(boolean epochEnded, long epoch, long minutesSinceCheckpoint) {
        if (epochEnded && epoch % everyEpochs == 0) {
            due = true;
        }
        return due || minutesSinceCheckpoint >= everyMinutes;
    }

    /** A checkpoint was stored and announced. */
    public void stored() {
        due = false;
    }
}
