package io.oshigan.sampler.inference;

import java.util.List;

/** What the batcher runs: latent vectors of several requests, laid end to end, to each request's images. */
public interface BatchModel {
    /** @param counts images per request, in order; the latents hold sum(counts) vectors */
    List<float[]> generate(float[] latents, int[] counts);

    /** Whether merging requests saves time on this model ({@link io.oshigan.sampler.domain.BatchGain}); if not, each runs unmerged. */
    default boolean batchingSaves() {
        return true;
    }

    default float[] generate(float[] latents, int n) {
        return generate(latents, new int[]{n}).get(0);
    }
}
