package io.oshigan.trainer.training;

import io.oshigan.contracts.CheckpointLayout;
import io.oshigan.contracts.CheckpointPublished;
import io.oshigan.dcgan.CheckpointManifest;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.trainer.config.TrainerConfig;
import io.oshigan.trainer.domain.Retention;
import io.oshigan.trainer.messaging.CheckpointEvents;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.LocalFiles;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** Writes, uploads, announces and prunes checkpoints of a run, and finds the one to resume from. */
@ApplicationScoped
public class CheckpointKeeper {
    private static final Logger LOG = Logger.getLogger(CheckpointKeeper.class);

    private final CheckpointStore models;
    private final CheckpointEvents events;
    private final TrainerConfig config;
    private final Clock clock = Clock.systemUTC();
    /** Stored, but the broker did not take its record yet. Only the training thread touches it. */
    private CheckpointPublished unannounced;
    /**
     * The run whose checkpoint was stored and announced last, or resumed from, or that began anew (training thread
     * only); that checkpoint (none for a run begun anew).
     */
    private String storedRun;
    private TrainerStatus.LastCheckpoint stored;
    /** Checkpoints found to be history (an ordinal never changes): each prune reads only the manifests of the others. */
    private final java.util.Set<String> knownHistory = new java.util.HashSet<>();

    CheckpointKeeper(CheckpointStore models, CheckpointEvents events, TrainerConfig config) {
        this.models = models;
        this.events = events;
        this.config = config;
    }

    /**
     * Complete checkpoint, uploaded (manifest, then latest pointer), announced, old ones pruned. When the broker did
     * not take the last announcement, that stored checkpoint is announced now instead of another being written (a
     * Kafka outage used to upload one more checkpoint, never announced nor pruned, at every try).
     */
    public TrainerStatus.LastCheckpoint save(TrainingRun run, String gridKey) {
        CheckpointPublished pending = unannounced;
        if (pending != null && pending.runId().equals(run.settings().runId())) {
            return announce(pending);
        }
        return store(run, gridKey);
    }

    /**
     * The run's state as it is now, stored and announced, before a stop or a run switch: nothing trained since may be
     * lost. Nothing is stored when nothing trained since the run's last checkpoint, its resume or its start (that
     * checkpoint stands; a run that never trained has none), and a checkpoint of this step stored but not yet announced
     * is announced, not stored again. An older one whose record never went out stays complete in the bucket (the
     * sampler's catch-up finds checkpoints whose record it missed).
     *
     * @throws CheckpointEvents.AnnouncementFailedException the broker is away: the checkpoint is stored, unannounced
     */
    public Optional<TrainerStatus.LastCheckpoint> saveCurrent(TrainingRun run, String gridKey) {
        String runId = run.settings().runId();
        CheckpointPublished pending = unannounced;
        if (pending != null && pending.runId().equals(runId) && pending.step() == run.step()) {
            return Optional.of(announce(pending));
        }
        if (runId.equals(storedRun) && (stored == null ? 0 : stored.step()) == run.step()) {
            return Optional.ofNullable(stored);
        }
        return Optional.of(store(run, gridKey));
    }

    private TrainerStatus.LastCheckpoint store(TrainingRun run, String gridKey) {
        String runId = run.settings().runId();
        Path local = workDir().resolve("checkpoint-" + run.step() + "-" + System.nanoTime());
        try {
            CheckpointManifest manifest = run.writeCheckpoint(local, clock.instant());
            String prefix = models.uploadCheckpoint(runId, run.step(), local);
            run.stored(manifest);
            LOG.infof("checkpoint run=%s epoch=%d step=%d at %s", runId, run.epoch(), run.step(), prefix);
            unannounced = new CheckpointPublished(CheckpointPublished.SCHEMA_VERSION, runId, (int) run.epoch(),
                    run.step(), prefix, prefix + CheckpointLayout.GENERATOR_DIR + "/", gridKey,
                    new CheckpointPublished.Losses(manifest.lossD(), manifest.lossG()), manifest.datasetSize(),
                    manifest.createdAt());
            return announce(unannounced);
        } finally {
            LocalFiles.deleteQuietly(local);
        }
    }

    /** @throws CheckpointEvents.AnnouncementFailedException the broker is away: the event stays for the next try */
    private TrainerStatus.LastCheckpoint announce(CheckpointPublished event) {
        events.publish(event);
        unannounced = null;
        storedRun = event.runId();
        stored = new TrainerStatus.LastCheckpoint(event.step(), event.epoch(), event.checkpointKey(), event.createdAt());
        Retention retention = config.retention();
        try {
            models.prune(event.runId(), retention.keep(), step -> history(retention, event.runId(), step))
                    .forEach(step -> LOG.infof("pruned checkpoint %s", ObjectKeys.checkpointPrefix(event.runId(), step)));
        } catch (RuntimeException e) {
            // the checkpoint is stored and announced: a failed prune must not have it stored and announced again (a
            // retry of the save did), and the next checkpoint's prune takes whatever this one left
            LOG.warnf("pruning run %s failed, the next checkpoint prunes again: %s", event.runId(), e.getMessage());
        }
        return stored;
    }

    /**
     * Whether a stored checkpoint is history, by the ordinal in its manifest; one whose manifest cannot be read is
     * kept: pruning deletes only what it knows it may.
     */
    private boolean history(Retention retention, String runId, long step) {
        String prefix = ObjectKeys.checkpointPrefix(runId, step);
        if (knownHistory.contains(prefix)) {
            return true;
        }
        try {
            boolean history = retention.history(Checkpoints.parseManifest(models.manifest(runId, step), prefix).ordinal());
            if (history) {
                knownHistory.add(prefix);
            }
            return history;
        } catch (RuntimeException e) {
            LOG.warnf("checkpoint %s kept: its manifest does not read (%s)", prefix, e.getMessage());
            return true;
        }
    }

    /** Restores the run's newest complete checkpoint, if it has one. */
    public Optional<TrainerStatus.LastCheckpoint> resume(TrainingRun run) {
        String runId = run.settings().runId();
        Optional<Long> latest = models.latestCheckpoint(runId);
        storedRun = runId;
        stored = null; // until its checkpoint is restored: a run begun anew has none, whatever was stored before
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        Path local = workDir().resolve("resume-" + latest.get() + "-" + System.nanoTime());
        try {
            models.download(runId, latest.get(), local);
            CheckpointManifest manifest = run.resume(local);
            LOG.infof("resumed run=%s from step %d (epoch %d)", runId, run.step(), run.epoch());
            stored = new TrainerStatus.LastCheckpoint(manifest.step(), manifest.epoch(),
                    ObjectKeys.checkpointPrefix(runId, latest.get()), manifest.createdAt());
            return Optional.of(stored);
        } finally {
            LocalFiles.deleteQuietly(local);
        }
    }

    private Path workDir() {
        try {
            return Files.createDirectories(Path.of(config.workDir()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create work directory " + config.workDir(), e);
        }
    }

}
