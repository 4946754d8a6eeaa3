package io.oshigan.dcgan;

/**
 * What a resumed run needs beside the weights and optimiser slots: where it was (global step, epoch, batch within the
 * epoch, and how many images the epoch's plan covered), the seed from which every random draw of the run is derived
 * (noise per step, shuffle per epoch), and the fixed noise of the progress grid, [count,1,1,nz] flattened.
 */
public record TrainingState(long step, long epoch, long batchInEpoch, long epochDatasetSize, long seed, float[] fixedNoise) {
}
