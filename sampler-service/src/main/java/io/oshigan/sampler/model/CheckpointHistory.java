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
import java.util.Comparator;
import java.util.List;

/**
 * The stored checkpoints with what their manifests say: epoch, step, the losses of the epoch they end, the data set
 * they were trained on. A manifest never changes once written, so each is read once and kept (bounded).
 */
@ApplicationScoped
public class CheckpointHistory {
    static final int KEPT = 10_000;
    private final VersionCatalog catalog;
    private final CheckpointStore checkpoints;
    private final Cache<VersionId, Checkpoint> read = Caffeine.newBuilder().maximumSize(KEPT).build();

    CheckpointHistory(VersionCatalog catalog, CheckpointStore checkpoints) {
        this.catalog = catalog;
        this.checkpoints = checkpoints;
    }

    /**
     * One stored checkpoint. Losses are null for an import (it was not trained here); {@code problem} says why a
     * manifest could not be read (the rest is then unknown).
     */
    public record Checkpoint(String version, String run, long step, Long epoch, Double lossD, Double lossG,
                             Long datasetSize, String precision, Instant createdAt, String problem) {
    }

    /** The newest {@code limit} checkpoints of every run, newest first (by when they were written). */
    public List<Checkpoint> newest(int limit) {
        return catalog.available().stream().map(this::describe)
                .sorted(Comparator.comparing((Checkpoint c) -> c.createdAt() == null ? Instant.MIN : c.createdAt())
                        .thenComparingLong(Checkpoint::step).reversed())
                .limit(limit).toList();
    }

    private Checkpoint describe(VersionId id) {
        Checkpoint known = read.getIfPresent(id);
        if (known != null) {
            return known;
        }
        try {
            CheckpointManifest m = Checkpoints.parseManifest(checkpoints.manifest(id.run(), id.step()), id.toString());
            boolean trained = !ObjectKeys.isImportRun(id.run());
            Checkpoint checkpoint = new Checkpoint(id.toString(), id.run(), id.step(), trained ? m.epoch() : null,
                    trained ? m.lossD() : null, trained ? m.lossG() : null, trained ? m.datasetSize() : null,
                    m.hyperparameters().precision().name().toLowerCase(), m.createdAt(), null);
            read.put(id, checkpoint);
            return checkpoint;
        } catch (IncompatibleCheckpointException e) {
            Checkpoint unreadable = problem(id, e.getMessage());
            read.put(id, unreadable); // it will not change: said once, kept
            return unreadable;
        } catch (RuntimeException e) {
            return problem(id, e.getMessage()); // S3 away, or a manifest without hyper-parameters: asked again next time
        }
    }

    private static Checkpoint problem(VersionId id, String why) {
        return new Checkpoint(id.toString(), id.run(), id.step(), null, null, null, null, null, null, why);
    }
}
