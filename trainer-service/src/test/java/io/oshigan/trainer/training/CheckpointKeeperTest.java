package io.oshigan.trainer.training;

import io.oshigan.contracts.CheckpointPublished;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.trainer.config.TrainerConfig;
import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.trainer.messaging.CheckpointEvents;
import io.oshigan.trainer.messaging.RecordingCheckpointEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A checkpoint is stored and announced once: not again after a failed prune or a refused announcement, nor when nothing
 * trained since; and a run that never trained stores nothing.
 */
class CheckpointKeeperTest {

    /**
     * The bucket refuses the prune after a checkpoint was stored and announced. Before, the save failed with it, the
     * training loop's retry stored the same step again and announced it a second time; and a stop right after a
     * checkpoint (or a resume) stored and announced that step again too.
     */
    @Test
    void aFailedPruneOrAStopRightAfterACheckpointStoresAndAnnouncesItOnce(@TempDir Path dir) {
        Models models = new Models();
        RecordingCheckpointEvents events = new RecordingCheckpointEvents();
        CheckpointKeeper keeper = new CheckpointKeeper(models, events, config(dir));
        try (FaceDataset data = TrainingRunTest.faces(16, dir.resolve("faces"));
             TrainingRun run = new TrainingRun(TrainingRunTest.settings(8), data, TrainingRunTest.FIXED)) {
            run.trainBatch();
            models.prunesToRefuse = 1;
            assertThat(keeper.save(run, null).step()).isEqualTo(1);
            assertThat(keeper.saveCurrent(run, null)).as("a stop right after it").map(c -> c.step()).contains(1L);
            run.trainBatch();
            keeper.saveCurrent(run, null);
        }
        assertThat(models.uploads).containsExactly(1L, 2L);
        assertThat(events.announced).extracting(CheckpointPublished::step).containsExactly(1L, 2L);
        assertThat(models.prunes).as("the second checkpoint's prune ran").isEqualTo(2);
    }

    /**
     * The broker refused a checkpoint's announcement, and the trainer stops (or switches runs) before the next batch.
     * Before, that step was stored a second time (one more ordinal, so a history boundary moved) and then announced.
     */
    @Test
    void aStopRightAfterAnUnannouncedCheckpointAnnouncesItWithoutStoringItAgain(@TempDir Path dir) {
        Models models = new Models();
        RecordingCheckpointEvents events = new RecordingCheckpointEvents();
        CheckpointKeeper keeper = new CheckpointKeeper(models, events, config(dir));
        try (FaceDataset data = TrainingRunTest.faces(16, dir.resolve("faces"));
             TrainingRun run = new TrainingRun(TrainingRunTest.settings(8), data, TrainingRunTest.FIXED)) {
            keeper.resume(run);
            run.trainBatch();
            events.refusals = 1;
            assertThatThrownBy(() -> keeper.save(run, null)).isInstanceOf(CheckpointEvents.AnnouncementFailedException.class);
            assertThat(keeper.saveCurrent(run, null)).as("the stop").map(c -> c.step()).contains(1L);
        }
        assertThat(models.uploads).containsExactly(1L);
        assertThat(events.announced).extracting(CheckpointPublished::step).containsExactly(1L);
    }

    /**
     * A run that never trained (waiting for faces) is stopped or switched from: nothing to store. Before, a switch
     * stored and announced its untrained weights as step 0, and the sampler swapped to them.
     */
    @Test
    void aRunThatNeverTrainedStoresNothingAtAStopOrSwitch(@TempDir Path dir) {
        Models models = new Models();
        RecordingCheckpointEvents events = new RecordingCheckpointEvents();
        CheckpointKeeper keeper = new CheckpointKeeper(models, events, config(dir));
        try (FaceDataset data = TrainingRunTest.faces(16, dir.resolve("faces"));
             TrainingRun run = new TrainingRun(TrainingRunTest.settings(8), data, TrainingRunTest.FIXED)) {
            assertThat(keeper.resume(run)).isEmpty();
            assertThat(keeper.saveCurrent(run, null)).isEmpty();
        }
        assertThat(models.uploads).isEmpty();
        assertThat(events.announced).isEmpty();
    }

    /** The uploads and prunes a keeper makes, without a bucket; prunes refused while asked to. */
    private static final class Models extends CheckpointStore {
        final List<Long> uploads = new ArrayList<>();
        int prunesToRefuse;
        int prunes;

        Models() {
            super(null);
        }

        @Override
        public String uploadCheckpoint(String runId, long step, Path directory) {
            uploads.add(step);
            return "runs/" + runId + "/checkpoints/" + step + "/";
        }

        @Override
        public java.util.Optional<Long> latestCheckpoint(String runId) {
            return uploads.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(uploads.get(uploads.size() - 1));
        }

        @Override
        public List<Long> prune(String runId, int keep, LongPredicate history) {
            prunes++;
            if (prunesToRefuse-- > 0) {
                throw new IllegalStateException("the bucket is away (test)");
            }
            return List.of();
        }
    }

    /** The trainer's configuration as its defaults give it, the work directory in {@code dir}. */
    private static TrainerConfig config(Path dir) {
        InvocationHandler checkpoint = (proxy, method, args) -> switch (method.getName()) {
            case "keep" -> 5;
            case "historyEvery" -> 10;
            default -> throw new UnsupportedOperationException(method.getName());
        };
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return switch (method.getName()) {
                case "workDir" -> dir.resolve("work").toString();
                case "checkpoint" -> Proxy.newProxyInstance(TrainerConfig.class.getClassLoader(),
                        new Class<?>[]{TrainerConfig.Checkpoint.class}, checkpoint);
                default -> throw new UnsupportedOperationException(method.getName());
            };
        };
        return (TrainerConfig) Proxy.newProxyInstance(TrainerConfig.class.getClassLoader(),
                new Class<?>[]{TrainerConfig.class}, handler);
    }
}
