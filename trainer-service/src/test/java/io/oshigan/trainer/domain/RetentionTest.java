package io.oshigan.trainer.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionTest {

    /**
     * Pruned after every checkpoint, as the trainer does: the newest 5 and every 10th of the run stay. Counting
     * positions in the listing instead (the checkpoints beyond the newest, in order) kept none of the history: the
     * oldest beyond the newest was always at position 1.
     */
    @Test
    void historyIsEveryNthCheckpointOfTheRunHoweverOftenItIsPruned() {
        Retention retention = new Retention(5, 10);
        List<Long> stored = new ArrayList<>();
        for (long ordinal = 1; ordinal <= 34; ordinal++) {
            stored.add(ordinal);
            List<Long> beyondNewest = stored.subList(0, Math.max(0, stored.size() - retention.keep()));
            beyondNewest.removeIf(o -> !retention.history(o));
        }
        assertThat(stored).containsExactly(10L, 20L, 30L, 31L, 32L, 33L, 34L);
    }

    @Test
    void aCheckpointWithoutAnOrdinalIsNoHistory() {
        assertThat(new Retention(5, 1).history(0)).isFalse(); // imports, manifests from before ordinals
        assertThat(LongStream.rangeClosed(1, 5).allMatch(new Retention(5, 1)::history)).isTrue();
    }

    /** Keep 0 deleted the checkpoint just announced (the one a restart resumes from); history-every 0 divided by 0. */
    @Test
    void settingsThatMakeNoSenseAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new Retention(0, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keep must be at least 1 (the newest checkpoint is the one a restart resumes from, and the one "
                        + "just announced) but is 0");
        assertThatThrownBy(() -> new Retention(5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("history-every must be at least 1");
    }
}
