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
        Kept kept = new Kept(dir);
        kept.run(run -> {
            run.trainBatch();
            kept.models.prunesToRefuse = 1;
            assertThat(kept.keeper.save(run, null).step()).isEqualTo(1);
            assertThat(kept.keeper.saveCurrent(run, null)).as("a stop right after it").map(c -> c.step()).contains(1L);
            run.trainBatch();
            kept.keeper.saveCurrent(run, null);
        });
        assertThat(kept.models.uploads).containsExactly(1L, 2L);
        assertThat(kept.events.announced).extracting(CheckpointPublished::step).containsExactly(1L, 2L);
        assertThat(kept.models.prunes).as("the second checkpoint's prune ran").isEqualTo(2);
    }

    /**
     * The broker refused a checkpoint's announcement, and the trainer stops (or switches runs) before the next batch.
     * Before, that step was stored a second time (one more ordinal, so a history boundary moved) and then announced.
     */
    @Test
    void aStopRightAfterAnUnannouncedCheckpointAnnouncesItWithoutStoringItAgain(@TempDir Path dir) {
        Kept kept = new Kept(dir);
        kept.run(run -> {
            kept.keeper.resume(run);
            run.trainBatch();
            kept.events.refusals = 1;
            assertThatThrownBy(() -> kept.keeper.save(run, null)).isInstanceOf(CheckpointEvents.AnnouncementFailedException.class);
            assertThat(kept.keeper.saveCurrent(run, null)).as("the stop").map(c -> c.step()).contains(1L);
        });
        assertThat(kept.models.uploads).containsExactly(1L);
        assertThat(kept.events.announced).extracting(CheckpointPublished::step).containsExactly(1L);
    }

    /**
     * A run that never trained (waiting for faces) is stopped or switched from: nothing to store. Before, a switch
     * stored and announced its untrained weights as step 0, and the sampler swapped to them.
     */
    @Test
    void aRunThatNeverTrainedStoresNothingAtAStopOrSwitch(@TempDir Path dir) {
        Kept kept = new Kept(dir);
        kept.run(run -> {
            assertThat(kept.keeper.resume(run)).isEmpty();
            assertThat(kept.keeper.saveCurrent(run, null)).isEmpty();
        });
        assertThat(kept.models.uploads).isEmpty();
        assertThat(kept.events.announced).isEmpty();
    }

    /** A keeper over recorded uploads and announcements, and a small run of 16 faces for it to keep. */
    private static final class Kept {
        final Models models = new Models();
        final RecordingCheckpointEvents events = new RecordingCheckpointEvents();
        final CheckpointKeeper keeper;
        private final Path dir;

        Kept(Path dir) {
            this.dir = dir;
            this.keeper = new CheckpointKeeper(models, events, config(dir));
        }

        void run(java.util.function.Consumer<TrainingRun> steps) {
            try (FaceDataset data = TrainingRunTest.faces(16, dir.resolve("faces"));
                 TrainingRun run = new TrainingRun(TrainingRunTest.settings(8), data, TrainingRunTest.FIXED)) {
                steps.accept(run);
            }
        }
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
