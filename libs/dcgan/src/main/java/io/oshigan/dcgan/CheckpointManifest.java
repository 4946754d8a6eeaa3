package io.oshigan.dcgan;

import java.time.Instant;

/**
 * manifest.json of a checkpoint directory: enough to know, without TensorFlow, what the checkpoint holds and
 * whether a model can read it. {@code ordinal}: the checkpoint's place among those its run has stored (1 for the
 * first, on across resumes), which retention keeps history by; 0 where unknown (imports, manifests from before it).
 */
public record CheckpointManifest(int formatVersion, Architecture architecture, Hyperparameters hyperparameters,
                                 long step, long epoch, long datasetSize, double lossD, double lossG,
                                 Instant createdAt, long ordinal) {
    public static final int FORMAT_VERSION = 1;
}
