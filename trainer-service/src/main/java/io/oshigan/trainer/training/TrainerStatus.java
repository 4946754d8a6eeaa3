package io.oshigan.trainer.training;

import java.time.Instant;

/**
 * What the trainer is doing, for the status endpoint. Losses are the current epoch's means; {@code device} is where
 * TensorFlow placed the run's graph ("GPU:0", "CPU:0") and {@code precision} what it computes in (fp32, bf16), null
 * before a run is open. {@code datasetSize} counts the faces that take part; {@code excludedImages} those left out;
 * {@code duplicateImages} the crops left out because another crop holds the same pixels (a face trains once).
 */
public record TrainerStatus(State state, String runId, long epoch, long step, long batchInEpoch, long batchesPerEpoch,
                           double lossD, double lossG, double imagesPerSecond, Long etaSecondsToEpochEnd,
                           int datasetSize, int excludedImages, int pendingImages, int duplicateImages,
                           LastCheckpoint lastCheckpoint,
                           String message, String device, String precision) {

    public enum State { STARTING, WAITING_FOR_DATA, TRAINING, PAUSED, CHECKPOINTING, STOPPED, FAILED }

    public record LastCheckpoint(long step, long epoch, String prefix, Instant at) {
    }
}
