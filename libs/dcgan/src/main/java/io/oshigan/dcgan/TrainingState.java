package io.oshigan.dcgan;

/**
 * What a resumed run needs beside the weights and optimiser slots: where it was (step, epoch), the seed from which
 * every random draw of the run is derived (noise per step, shuffle per epoch), and the fixed noise of the progress
 * grid, [count,1,1,nz] flattened.
 */
public record TrainingState(long step, long epoch, long seed, float[] fixedNoise) {
}
