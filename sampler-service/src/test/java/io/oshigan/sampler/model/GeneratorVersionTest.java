package io.oshigan.sampler.model;

import io.oshigan.contracts.CheckpointLayout;
import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.Precision;
import io.oshigan.dcgan.translate.FaceImages;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.TrainingGraph;
import io.oshigan.sampler.domain.BatchGain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A version and what requests use beside it close when the last request is done, not when the registry lets go. */
class GeneratorVersionTest {

    @Test
    void aCompanionOutlivesEvictionWhileARequestHoldsTheVersion(@TempDir Path dir) {
        Architecture small = new Architecture(16, 8, 8);
        try (TrainingGraph graph = TrainingGraph.builder(small, Hyperparameters.reference())
                .seed(3).threads(SessionThreads.defaults()).fixedNoise(4).build()) {
            Checkpoints.write(graph, dir, 10, 1, 1, Instant.now());
        }
        GeneratorVersion version = GeneratorVersion.load(io.oshigan.storage.VersionId.parse("v@1"), small, dir.resolve(CheckpointLayout.GENERATOR_DIR), SessionThreads.defaults(),
                Precision.FP32, true);
        // what a batch saves was measured at load (its verdict is this CPU's; that it was measured is every CPU's)
        assertThat(version.batchGain().loneNanos()).isPositive();
        assertThat(version.batchGain().batchNanos()).isPositive();
        AtomicBoolean scorerClosed = new AtomicBoolean();
        assertThat(version.acquire()).isTrue(); // a ranking request
        version.closeWith(() -> scorerClosed.set(true));
        version.retire(); // evicted meanwhile
        assertThat(scorerClosed).isFalse();
        assertThat(version.generate(new float[16], 1)).hasSize(96 * 96 * 3); // still usable by that request
        version.release();
        assertThat(scorerClosed).isTrue();
        assertThat(version.acquire()).isFalse();
    }

    @Test
    void aVersionLoadedInBf16ServesTheSameFacesWithinAFewLevels(@TempDir Path dir) {
        Architecture small = new Architecture(16, 8, 8);
        try (TrainingGraph graph = TrainingGraph.builder(small, Hyperparameters.reference())
                .seed(3).threads(SessionThreads.defaults()).fixedNoise(4).build()) {
            Checkpoints.write(graph, dir, 10, 1, 1, Instant.now());
        }
        Path generator = dir.resolve(CheckpointLayout.GENERATOR_DIR);
        io.oshigan.storage.VersionId id = io.oshigan.storage.VersionId.parse("v@1");
        GeneratorVersion fp32 = GeneratorVersion.load(id, small, generator, SessionThreads.defaults(), Precision.FP32, false);
        GeneratorVersion bf16 = GeneratorVersion.load(id, small, generator, SessionThreads.defaults(), Precision.BF16, false);
        assertThat(fp32.batchGain()).isEqualTo(BatchGain.UNMEASURED); // not asked to: no runs beyond the warm-up
        try {
            float[] latents = io.oshigan.dcgan.translate.Latents.fromSeed(42, 4, 16,
                    io.oshigan.dcgan.translate.Latents.Truncation.NONE, 0);
            float[] a = fp32.generate(latents, 4);
            float[] b = bf16.generate(latents, 4);
            int worst = 0;
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(FaceImages.toByte(a[i]) - FaceImages.toByte(b[i])));
            }
            assertThat(worst).as("largest difference in 0-255 levels (libs/dcgan MixedPrecisionTest bounds it)")
                    .isLessThanOrEqualTo(25);
        } finally {
            fp32.retire();
            bf16.retire();
        }
    }
}
