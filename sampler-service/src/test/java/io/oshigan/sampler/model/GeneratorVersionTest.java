package io.oshigan.sampler.model;

import io.oshigan.contracts.CheckpointLayout;
import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.TrainingGraph;
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
        GeneratorVersion version = GeneratorVersion.load(io.oshigan.storage.VersionId.parse("v@1"), small, dir.resolve(CheckpointLayout.GENERATOR_DIR), SessionThreads.defaults());
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
}
