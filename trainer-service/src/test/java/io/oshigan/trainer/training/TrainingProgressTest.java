package io.oshigan.trainer.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingProgressTest {

    /** After a run switch the first checkpoint event named the previous run's last grid as its own. */
    @Test
    void aNewRunHasNoGridUntilItWritesOne() {
        TrainingProgress progress = new TrainingProgress(60);
        progress.gridWritten("runs/run-1/grids/epoch-0007.png");
        assertThat(progress.lastGrid()).isEqualTo("runs/run-1/grids/epoch-0007.png");

        progress.newRun(null, null);
        assertThat(progress.lastGrid()).isNull();
        progress.gridWritten("runs/run-2/grids/epoch-0001.png");
        assertThat(progress.lastGrid()).isEqualTo("runs/run-2/grids/epoch-0001.png");
    }
}
