package io.oshigan.sampler.model;

import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.VersionId;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Which versions the models bucket holds (complete checkpoints only), and which is newest. */
@ApplicationScoped
public class VersionCatalog {
    private final CheckpointStore checkpoints;

    public VersionCatalog(CheckpointStore checkpoints) {
        this.checkpoints = checkpoints;
    }

    public List<VersionId> available() {
        List<VersionId> versions = new ArrayList<>();
        checkpoints.runs().keySet().forEach(run ->
                checkpoints.completeCheckpoints(run).forEach(step -> versions.add(new VersionId(run, step))));
        return versions;
    }

    public boolean exists(VersionId id) {
        return checkpoints.completeCheckpoints(id.run()).contains(id.step());
    }

    /** The latest checkpoint of the run (or of each run), newest by completion time. */
    public Optional<VersionId> newest(Optional<String> run) {
        return run.map(List::of).orElseGet(() -> new ArrayList<>(checkpoints.runs().keySet())).stream()
                .flatMap(r -> checkpoints.latestCheckpoint(r).stream().map(step -> new VersionId(r, step)))
                .max(Comparator.comparing(this::createdAt));
    }

    /**
     * By completion time; S3 keeps it to the second, so two checkpoints of one run completed within a second are
     * ordered by step (the catch-up missed a checkpoint stored right after the served one).
     */
    public boolean isNewer(VersionId candidate, VersionId served) {
        int byTime = createdAt(candidate).compareTo(createdAt(served));
        if (byTime != 0) {
            return byTime > 0;
        }
        return candidate.run().equals(served.run()) && candidate.step() > served.step();
    }

    private Instant createdAt(VersionId id) {
        try {
            return checkpoints.createdAt(id.run(), id.step());
        } catch (RuntimeException e) {
            return Instant.MIN; // an imported or vanished version: any stored checkpoint is newer
        }
    }
}
