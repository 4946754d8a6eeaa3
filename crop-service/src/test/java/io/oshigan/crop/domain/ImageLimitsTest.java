package io.oshigan.crop.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How many images are worked on at once follows the heap, not only the cores. */
class ImageLimitsTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void theWorkersFitTheHeapAtTheirWorstImageEach() {
        ImageLimits limits = ImageLimits.defaults();
        assertThat(limits.heapPerImage()).as("50 MiB read twice and a 40 MP GIF").isEqualTo(100 * MIB + 160_000_000L);
        // a pod's heap (768 MiB before, 922 now) on a 32-core node without a CPU limit (the JVM sees 32)
        assertThat(limits.workers(32, 768 * MIB)).isEqualTo(2);
        assertThat(limits.workers(32, 922 * MIB)).isEqualTo(2);
        assertThat(limits.workers(2, 6144 * MIB)).as("a 2-core machine's default heap").isEqualTo(2);
        assertThat(limits.workers(8, 100 * MIB)).as("at least one").isEqualTo(1);
        assertThat(new ImageLimits(5 * MIB, 4_000_000).workers(32, 768 * MIB)).isEqualTo(22);
    }

    /** The pixels in flight fit the memory beside the heap at the measured native bytes a pixel. */
    @Test
    void thePixelBudgetFitsTheMemoryBesideTheHeap() {
        long most = 2 * ImageLimits.DEFAULT_MAX_PIXELS;
        // the pod as it was (1536 MiB, half heap): room for 17 M pixels, under half of one largest image (which used
        // to be let through and took 960 MB it did not have)
        assertThat(PixelBudget.fitting(1536 * MIB, 768 * MIB, most)).isEqualTo((384 * MIB) / 24);
        // the pod now (2304 MiB, 40% heap): one largest image
        assertThat(PixelBudget.fitting(2304 * MIB, 2304 * MIB * 40 / 100, most)).isGreaterThanOrEqualTo(ImageLimits.DEFAULT_MAX_PIXELS);
        assertThat(PixelBudget.fitting(24_000 * MIB, 6_000 * MIB, most)).as("a workstation: two, as before").isEqualTo(most);
        assertThat(PixelBudget.fitting(512 * MIB, 512 * MIB, most)).as("no room at all").isEqualTo(PixelBudget.MIN_PIXELS);
    }
}
