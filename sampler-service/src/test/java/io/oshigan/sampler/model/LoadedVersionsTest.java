package io.oshigan.sampler.model;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oshigan.contracts.CheckpointLayout;
import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.DiscriminatorGraph;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.Precision;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.TrainingGraph;
import io.oshigan.storage.VersionId;
import io.smallrye.faulttolerance.api.RateLimitException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which versions stay loaded and which serves, and each version's discriminator, as loads and evictions interleave. */
class LoadedVersionsTest {
    private static final Architecture SMALL = new Architecture(16, 8, 8);
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeCheckpoint() {
        try (TrainingGraph graph = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(1).threads(new SessionThreads(1, 1)).build()) {
            Checkpoints.write(graph, dir, 10, 1, 1, Instant.now());
        }
    }

    /**
     * A checkpoint's version loaded, then retired by on-demand loads before its swap (they evict the oldest beyond the
     * limit other than the serving one): it is not made the serving version, closed as it is, so the registry loads it
     * again. Before, it became the serving version closed, and every request without a version spun on it forever.
     */
    @Test
    void aVersionRetiredBeforeItsSwapIsNotServed() {
        LoadedVersions versions = parts(id -> {
            throw new NoModelException("no discriminator in this test", true);
        }, new AtomicInteger(), OnDemandLoads.unlimited(), 2).versions();
        GeneratorVersion first = versions.load(VersionId.parse("run@1"), "nothing");
        assertThat(versions.serve(first)).isTrue();
        GeneratorVersion published = versions.load(VersionId.parse("run@2"), "run@1"); // not swapped in yet
        versions.load(VersionId.parse("run@3"), "run@1");
        versions.evict();
        assertThat(published.acquire()).as("retired by the eviction: run@2 was the oldest beside the serving one").isFalse();

        assertThat(versions.serve(published)).isFalse();
        assertThat(versions.current()).isSameAs(first);
        GeneratorVersion again = versions.load(VersionId.parse("run@2"), "run@1");
        assertThat(again).isNotSameAs(published);
        assertThat(versions.serve(again)).isTrue();
        assertThat(versions.ids()).containsExactly("run@3", "run@2");
    }

    /**
     * An imported version has no discriminator: its ranking requests get that 400 from the first load on, without
     * spending the on-demand loads all clients share. Before, each one loaded again: with a limit of one a minute the
     * second got a 429, and so did every other client's load for the rest of that minute.
     */
    @Test
    void aVersionWithoutADiscriminatorIsRememberedAsSuch() {
        AtomicInteger scorerLoads = new AtomicInteger();
        OnDemandLoads oneAMinute = new CountedLoads(1);
        Parts parts = parts(id -> {
            throw new NoModelException("version " + id + " has no discriminator to rank with (an imported generator)", true);
        }, scorerLoads, oneAMinute, 3);
        LoadedVersions versions = parts.versions();
        ScorerCache scorers = parts.scorers();
        GeneratorVersion imported = versions.load(VersionId.parse("import-reference@1"), "nothing");

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> scorers.of(imported)).isInstanceOf(NoModelException.class)
                    .hasMessageContaining("no discriminator").matches(e -> ((NoModelException) e).unknownVersion());
        }
        assertThat(scorerLoads).hasValue(1);
    }

    /** The models bucket away is no answer about the version: the next ranking request tries again (503 meanwhile). */
    @Test
    void aDiscriminatorThatCouldNotBeReadIsTriedAgain() {
        AtomicInteger scorerLoads = new AtomicInteger();
        Parts parts = parts(id -> {
            throw new NoModelException("the discriminator of " + id + " could not be read from the models bucket", false);
        }, scorerLoads, new CountedLoads(2), 3);
        LoadedVersions versions = parts.versions();
        ScorerCache scorers = parts.scorers();
        GeneratorVersion version = versions.load(VersionId.parse("run@1"), "nothing");

        assertThatThrownBy(() -> scorers.of(version)).isInstanceOf(NoModelException.class);
        assertThatThrownBy(() -> scorers.of(version)).isInstanceOf(NoModelException.class);
        assertThat(scorerLoads).hasValue(2);
        assertThatThrownBy(() -> scorers.of(version)).as("the third within the minute: over the limit")
                .isInstanceOf(RateLimitException.class);
    }

    /** A discriminator's load that ends in an Error leaves no load behind for later requests to wait on forever. */
    @Test
    void aDiscriminatorLoadEndedByAnErrorIsTriedAgain() {
        AtomicInteger scorerLoads = new AtomicInteger();
        Parts parts = parts(id -> {
            throw new StackOverflowError("a native library's error");
        }, scorerLoads, OnDemandLoads.unlimited(), 3);
        LoadedVersions versions = parts.versions();
        ScorerCache scorers = parts.scorers();
        GeneratorVersion version = versions.load(VersionId.parse("run@1"), "nothing");

        assertThatThrownBy(() -> scorers.of(version)).isInstanceOf(StackOverflowError.class);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> scorers.of(version)).isInstanceOf(StackOverflowError.class));
        assertThat(scorerLoads).hasValue(2);
    }

    /**
     * Two copies of one version (one retired while its requests still run, one loaded anew for the next request) score
     * with a discriminator each, and the first to close leaves the other's open. Kept by id, they shared one, and the
     * first copy to close closed it under the other's requests.
     */
    @Test
    void eachCopyOfAVersionScoresWithItsOwnDiscriminator() {
        Parts parts = parts(id -> {
            DiscriminatorGraph graph = new DiscriminatorGraph(SMALL, new SessionThreads(1, 1));
            graph.restore(dir.resolve(CheckpointLayout.CHECKPOINT_DIR).resolve(Checkpoints.CHECKPOINT_PREFIX));
            return graph;
        }, new AtomicInteger(), OnDemandLoads.unlimited(), 3);
        GeneratorVersion retired = copy("run@1");
        GeneratorVersion anew = copy("run@1");
        assertThat(retired.acquire() && anew.acquire()).isTrue(); // a request on each

        DiscriminatorGraph first = parts.scorers().of(retired);
        DiscriminatorGraph second = parts.scorers().of(anew);
        assertThat(second).isNotSameAs(first);
        retired.retire();
        retired.release(); // its last request is done: it closes, with its discriminator

        float[] face = anew.generate(new float[16], new int[]{1}).get(0);
        assertThat(second.score(face, 1)).hasSize(1);
        assertThat(parts.scorers().of(anew)).isSameAs(second);
        anew.release();
        anew.retire();
    }

    private static GeneratorVersion copy(String id) {
        return GeneratorVersion.load(VersionId.parse(id), SMALL, dir.resolve(CheckpointLayout.GENERATOR_DIR),
                new SessionThreads(1, 1), Precision.FP32, false);
    }

    /** The registry's parts over one loader: versions from the checkpoint, discriminators from {@code scorer}. */
    private record Parts(LoadedVersions versions, ScorerCache scorers) {
    }

    private static Parts parts(Function<VersionId, DiscriminatorGraph> scorer, AtomicInteger scorerLoads,
                               OnDemandLoads onDemand, int maxLoaded) {
        VersionLoader loader = new VersionLoader() {
            @Override
            public GeneratorVersion load(VersionId id) {
                return GeneratorVersion.load(id, SMALL, dir.resolve(CheckpointLayout.GENERATOR_DIR),
                        new SessionThreads(1, 1), Precision.FP32, false);
            }

            @Override
            public DiscriminatorGraph loadScorer(GeneratorVersion version) {
                scorerLoads.incrementAndGet();
                return scorer.apply(version.versionId());
            }
        };
        ScorerCache scorers = new ScorerCache(loader, onDemand);
        return new Parts(new LoadedVersions(loader, new LoadFailures(new SimpleMeterRegistry()), maxLoaded), scorers);
    }
}
