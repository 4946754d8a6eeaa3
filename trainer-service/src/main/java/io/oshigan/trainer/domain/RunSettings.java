package io.oshigan.trainer.domain;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.SmallDataOptions;
import io.oshigan.storage.ObjectKeys;

/**
 * One training run's settings. Defaults are the reference script's: batch 128, G every 2nd batch, Adam 1e-4 / 1e-5.
 *
 * @param minImages  training waits (never fails) until the data set holds this many images
 * @param gridImages images in the fixed-noise progress grid (8x8)
 * @param smallData  DiffAugment and the moving average of G (label smoothing is in the hyper-parameters)
 */
public record RunSettings(String runId, Architecture architecture, Hyperparameters hyperparameters, int batchSize,
                          int generatorEvery, long seed, int minImages, int checkpointEveryEpochs,
                          int checkpointEveryMinutes, int gridImages, SmallDataOptions smallData) {
    public static final int DEFAULT_BATCH = 128;
    /** A request cannot make a batch of any size: 4096 96x96 faces are 450 MB of input alone. */
    public static final int MAX_BATCH = 4096;
    public static final int DEFAULT_GENERATOR_EVERY = 2;
    public static final int DEFAULT_CHECKPOINT_EPOCHS = 10;
    public static final int DEFAULT_CHECKPOINT_MINUTES = 15;
    public static final int DEFAULT_GRID_IMAGES = 64;

    public RunSettings {
        if (runId == null || !ObjectKeys.RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id must match " + ObjectKeys.RUN_ID + " but is '" + runId + "'");
        }
        if (ObjectKeys.isImportRun(runId)) {
            throw new IllegalArgumentException("run ids starting with '" + ObjectKeys.IMPORT_RUN_PREFIX
                    + "' hold imported generators and cannot be trained: choose another run id");
        }
        if (batchSize < 2 || generatorEvery < 1 || checkpointEveryEpochs < 1 || checkpointEveryMinutes < 1 || gridImages < 1) {
            throw new IllegalArgumentException("batch >= 2, G every >= 1, checkpoint periods >= 1 and grid >= 1 are needed");
        }
        if (batchSize > MAX_BATCH || generatorEvery > 100 || gridImages > 256) {
            throw new IllegalArgumentException("batch must be at most " + MAX_BATCH + ", G every at most 100 and the grid "
                    + "at most 256 images, but they are " + batchSize + ", " + generatorEvery + ", " + gridImages);
        }
        minImages = Math.max(minImages, batchSize);
        smallData = smallData == null ? SmallDataOptions.none() : smallData;
    }

    /** These settings with another seed (a resumed run keeps its checkpoint's). */
    public RunSettings withSeed(long other) {
        return new RunSettings(runId, architecture, hyperparameters, batchSize, generatorEvery, other, minImages,
                checkpointEveryEpochs, checkpointEveryMinutes, gridImages, smallData);
    }
}
