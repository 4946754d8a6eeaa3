package io.oshigan.dcgan.translate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatentsTest {

    /**
     * Pinned values: a seed is a public promise (the same face for the same seed on every machine and release).
     * Computed independently with SplitMix64 (the algorithm SplittableRandom specifies) and Box-Muller in Python.
     */
    @Test
    void aSeedGivesTheSameLatentsInEveryRelease() {
        assertThat(Latents.fromSeed(7, 2, 3, Latents.Truncation.NONE, 0))
                .containsExactly(0.9884743094444275f, -1.8642557859420776f, 0.003920207265764475f,
                        -0.5292707085609436f, -0.4589696228504181f, 0.4528152048587799f);
        assertThat(Latents.fromSeed(42, 1, 4, Latents.Truncation.NONE, 0))
                .containsExactly(0.8822488784790039f, -0.45084986090660095f, 0.18835262954235077f, 0.21958637237548828f);
        // resampling skips the draws beyond the threshold: seed 7's -1.864 is redrawn
        assertThat(Latents.fromSeed(7, 1, 3, Latents.Truncation.RESAMPLE, 1f))
                .containsExactly(0.9884743094444275f, 0.003920207265764475f, -0.5292707085609436f);
        assertThat(Latents.fromSeed(7, 1, 2, Latents.Truncation.SCALE, 1f)).containsExactly(0.9884743094444275f, -1f);
    }

    @Test
    void latentsAreDeterministicTruncatedAndInterpolated() {
        float[] a = Latents.fromSeed(7, 2, 10, Latents.Truncation.NONE, 0);
        assertThat(Latents.fromSeed(7, 2, 10, Latents.Truncation.NONE, 0)).isEqualTo(a);
        assertThat(Latents.fromSeed(8, 2, 10, Latents.Truncation.NONE, 0)).isNotEqualTo(a);
        for (float v : Latents.fromSeed(1, 50, 10, Latents.Truncation.RESAMPLE, 1f)) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(1f);
        }
        for (float v : Latents.fromSeed(1, 50, 10, Latents.Truncation.SCALE, 0.5f)) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(0.5f);
        }
        float[] from = {1, 0};
        float[] to = {0, 1};
        float[] linear = Latents.interpolate(from, to, 3, false);
        assertThat(linear).containsExactly(1, 0, 0.5f, 0.5f, 0, 1);
        float[] slerp = Latents.interpolate(from, to, 3, true);
        assertThat(slerp[2]).isCloseTo((float) Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(slerp[4]).isCloseTo(0f, org.assertj.core.data.Offset.offset(1e-6f));
    }
}
