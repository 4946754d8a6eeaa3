package io.oshigan.storage;

import io.oshigan.contracts.CheckpointLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Checkpoints in the real S3 server: half-written ones are never used, retention keeps the newest and some history. */
class CheckpointStoreTest {
    private static S3Server server;
    private static ObjectStore store;
    private static CheckpointStore models;

    @BeforeAll
    static void startServer(@TempDir Path data) throws Exception {
        server = new S3Server(data);
        store = server.store();
        models = new CheckpointStore(store);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aCheckpointWithoutItsManifestIsNeverResumedFrom(@TempDir Path dir) throws Exception {
        String run = "repo-" + UUID.randomUUID().toString().substring(0, 8);
        Path checkpoint = fakeCheckpoint(dir);
        models.uploadCheckpoint(run, 10, checkpoint);
        // a crash (kill -9) in the middle of the next upload: files, but no manifest and no pointer move
        store.put(Bucket.MODELS, ObjectKeys.checkpointFile(run, 20, "checkpoint/model.index"), new byte[]{1}, "application/octet-stream");

        assertThat(models.completeCheckpoints(run)).containsExactly(10L);
        assertThat(models.latestCheckpoint(run)).contains(10L);
    }

    /** A prune cut short (its manifest gone, its weights left) or an upload killed leaves files the next prune takes. */
    @Test
    void whatAPruneOrUploadCutShortLeftIsTakenByTheNextPrune(@TempDir Path dir) throws Exception {
        String run = "left-" + UUID.randomUUID().toString().substring(0, 8);
        models.uploadCheckpoint(run, 10, fakeCheckpoint(dir));
        String leftByPrune = ObjectKeys.checkpointFile(run, 5, "checkpoint/model.index");
        String uploading = ObjectKeys.checkpointFile(run, 20, "checkpoint/model.index"); // above the newest: in progress
        store.put(Bucket.MODELS, leftByPrune, new byte[]{1}, "application/octet-stream");
        store.put(Bucket.MODELS, uploading, new byte[]{1}, "application/octet-stream");

        assertThat(models.prune(run, 3, step -> false)).isEmpty();
        assertThat(store.exists(Bucket.MODELS, leftByPrune)).isFalse();
        assertThat(store.exists(Bucket.MODELS, uploading)).isTrue();
        assertThat(models.completeCheckpoints(run)).containsExactly(10L);
    }

    @Test
    void retentionKeepsTheNewestAndEveryNthAsHistory(@TempDir Path dir) throws Exception {
        String run = "keep-" + UUID.randomUUID().toString().substring(0, 8);
        Path checkpoint = fakeCheckpoint(dir);
        // pruned after each upload, as the trainer does; history here: steps 4 and 8 (the trainer asks each manifest)
        java.util.List<Long> pruned = new java.util.ArrayList<>();
        java.util.List<Long> asked = new java.util.ArrayList<>();
        for (long step = 1; step <= 12; step++) {
            models.uploadCheckpoint(run, step, checkpoint);
            pruned.addAll(models.prune(run, 3, s -> asked.add(s) && s % 4 == 0));
        }
        assertThat(pruned).containsExactly(1L, 2L, 3L, 5L, 6L, 7L, 9L);
        assertThat(models.completeCheckpoints(run)).containsExactly(4L, 8L, 10L, 11L, 12L);
        assertThat(asked).as("only checkpoints beyond the newest 3 are asked about").doesNotContain(12L, 11L).contains(9L);
        assertThat(models.latestCheckpoint(run)).contains(12L);
        assertThat(models.runs()).containsKey(run);
    }

    private static Path fakeCheckpoint(Path dir) throws Exception {
        Path checkpoint = dir.resolve("c");
        Files.createDirectories(checkpoint.resolve("checkpoint"));
        Files.writeString(checkpoint.resolve("checkpoint/model.index"), "index");
        Files.writeString(checkpoint.resolve(CheckpointLayout.MANIFEST), "{}");
        return checkpoint;
    }
}
