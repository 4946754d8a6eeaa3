package io.oshigan.trainer.domain;

/**
 * Which of a run's checkpoints stay: the newest {@code keep}, and as history each whose ordinal (its place among the
 * checkpoints its run has stored, in its manifest) is a multiple of {@code historyEvery}. The ordinal is the
 * checkpoint's own, so the choice is the same however often and in whatever order the older ones were pruned (a
 * position in the listing moves with every prune: counted that way, no history was ever kept).
 */
public record Retention(int keep, int historyEvery) {
    public static final int DEFAULT_KEEP = 5;
    public static final int DEFAULT_HISTORY_EVERY = 10;

    public Retention {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1 (the newest checkpoint is the one a restart "
                    + "resumes from, and the one just announced) but is " + keep);
        }
        if (historyEvery < 1) {
            throw new IllegalArgumentException("history-every must be at least 1 (1 keeps every checkpoint) but is "
                    + historyEvery);
        }
    }

    /** Whether the checkpoint with this ordinal is history; 0 (unknown: before ordinals, or an import) is not. */
    public boolean history(long ordinal) {
        return ordinal > 0 && ordinal % historyEvery == 0;
    }
}
