package io.oshigan.sampler.model;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.oshigan.dcgan.CheckpointManifest;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.IncompatibleCheckpointException;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.VersionId;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/**
 * The stored checkpoints, newest first (by when each became complete, as {@link VersionCatalog} orders them), with
 * what their manifests say: epoch, step, the losses of the epoch they end, the data set they were trained on. One
 * listing orders them; only the manifests asked for are read, each once (it never changes; kept, bounded).
 */
@ApplicationScoped
public class CheckpointHistory {
    static final int KEPT = 10_000;
    private final CheckpointStore checkpoints;
    private final Cache<VersionId, Checkpoint> read = Caffeine.newBuilder().maximumSize(KEPT).build();

    CheckpointHistory(CheckpointStore checkpoints) {
        this.checkpoints = checkpoints;
    }

    /**
     * One stored checkpoint; {@code completedAt}: when its manifest was stored. Losses are null for an import (it was
     * not trained here); {@code problem} says why a manifest could not be read (the rest is then unknown).
     */
    public record Checkpoint(String version, String run, long step, Long epoch, Double lossD, Double lossG,
                             Long datasetSize, String precision, Instant completedAt, String problem) {
    }

    /** The newest {@code limit} checkpoints of every run, newest first. */
    public List<Checkpoint> newest(int limit) {
        return checkpoints.completedNewestFirst().stream().limit(limit)
                .map(c -> describe(c.version(), c.at())).toList();
    }

    private Checkpoint describe(VersionId id, Instant completedAt) {
        Checkpoint known = read.getIfPresent(id);
        if (known != null) {
            return known;
        }
        try {
            CheckpointManifest m = Checkpoints.parseManifest(checkpoints.manifest(id.run(), id.step()), id.toString());
            if (m.hyperparameters() == null) {
                throw new IncompatibleCheckpointException(id + "'s manifest has no hyper-parameters");
            }
            boolean trained = !ObjectKeys.isImportRun(id.run());
            Checkpoint checkpoint = new Checkpoint(id.toString(), id.run(), id.step(), trained ? m.epoch() : null,
                    trained ? m.lossD() : null, trained ? m.lossG() : null, trained ? m.datasetSize() : null,
                    m.hyperparameters().precision().name().toLowerCase(), completedAt, null);
            read.put(id, checkpoint);
            return checkpoint;
        } catch (IncompatibleCheckpointException e) {
            Checkpoint unreadable = problem(id, completedAt, e.getMessage());
            read.put(id, unreadable); // it will not change: said once, kept
            return unreadable;
        } catch (RuntimeException e) {
            return problem(id, completedAt, e.getMessage()); // S3 away: asked again next time
        }
    }

    private static Checkpoint problem(VersionId id, Instant completedAt, String why) {
        return new Checkpoint(id.toString(), id.run(), id.step(), null, null, null, null, null, completedAt, why);
    }
}
