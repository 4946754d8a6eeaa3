package io.oshigan.sampler.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatentsTest {

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
