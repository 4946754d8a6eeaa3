package io.oshigan.dcgan;

import java.time.Instant;

/**
 * manifest.json of a checkpoint directory: enough to know, without TensorFlow, what the checkpoint holds and
 * whether a model can read it.
 */
public record CheckpointManifest(int formatVersion, Architecture architecture, Hyperparameters hyperparameters,
                                 long step, long epoch, long datasetSize, double lossD, double lossG,
                                 Instant createdAt) {
    public static final int FORMAT_VERSION = 1;
}
