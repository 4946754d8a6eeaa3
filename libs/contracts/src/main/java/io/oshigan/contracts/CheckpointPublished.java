package io.oshigan.contracts;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Value of a {@code checkpoints.published} record: a training checkpoint and the generator exported from it
 * are both stored and complete. Key: {@link #runId()}.
 *
 * @param checkpointKey object key (models bucket) of the full training state, for resuming
 * @param generatorKey  object key (models bucket) of the exported generator, for serving
 * @param gridKey       object key (models bucket) of the progress grid image, or null
 * @param datasetSize   number of face crops the run trained on at this point
 */
public record CheckpointPublished(
        int schemaVersion,
        String runId,
        int epoch,
        long step,
        String checkpointKey,
        String generatorKey,
        String gridKey,
        Losses losses,
        long datasetSize,
        Instant createdAt) implements Contract {

    public static final int SCHEMA_VERSION = 1;
    public static final EventCodec<CheckpointPublished> CODEC =
            EventCodec.versioned(Topic.CHECKPOINTS_PUBLISHED.topicName(), CheckpointPublished.class, SCHEMA_VERSION);

    /** Same pattern as the storage key scheme's run ids. */
    public static final Pattern RUN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** Mean losses over the last epoch. */
    public record Losses(double discriminator, double generator) {
    }

    @Override
    public void check(Checks checks) {
        checks.require(schemaVersion == SCHEMA_VERSION, "schemaVersion", "must be " + SCHEMA_VERSION + " but is " + schemaVersion);
        checks.matches(runId, RUN_ID, "runId")
                .require(epoch >= 0, "epoch", "must be >= 0 but is " + epoch)
                .require(step >= 0, "step", "must be >= 0 but is " + step)
                .notBlank(checkpointKey, "checkpointKey")
                .notBlank(generatorKey, "generatorKey")
                .require(datasetSize >= 0, "datasetSize", "must be >= 0 but is " + datasetSize)
                .notNull(createdAt, "createdAt");
        if (losses == null) {
            checks.notNull(null, "losses");
        } else {
            checks.require(Double.isFinite(losses.discriminator()) && Double.isFinite(losses.generator()),
                    "losses", "must be finite but are " + losses);
        }
    }
}
