package io.oshigan.sampler.model;

import io.oshigan.contracts.CheckpointLayout;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.DiscriminatorGraph;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.TrainingGraph;
import io.oshigan.storage.VersionId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Loading is not serving: a load in progress never holds up requests for versions that are loaded. */
class ModelRegistryTest {
    private static final Architecture SMALL = new Architecture(16, 8, 8);

    @TempDir
    Path dir;

    @Test
    void aSlowLoadDoesNotHoldUpRequestsForTheServingVersion() throws Exception {
        Path checkpoint = dir.resolve("checkpoint");
        try (TrainingGraph graph = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(1).threads(new SessionThreads(1, 1)).fixedNoise(4).build()) {
            Checkpoints.write(graph, checkpoint, 10, 1, 1, Instant.now());
        }
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        VersionLoader loader = new VersionLoader() {
            @Override
            public GeneratorVersion load(VersionId id) {
                loads.incrementAndGet();
                if (id.step() == 2) { // a download that takes its time
                    slowStarted.countDown();
                    await(releaseSlow);
                }
                return GeneratorVersion.load(id, SMALL, checkpoint.resolve(CheckpointLayout.GENERATOR_DIR),
                        new SessionThreads(1, 1), io.oshigan.dcgan.Precision.FP32, false);
            }

            @Override
            public DiscriminatorGraph loadScorer(GeneratorVersion version) {
                throw new NoModelException("no discriminator in this test", true);
            }
        };
        ModelRegistry registry = new ModelRegistry(new EveryVersionExists(), loader, OnDemandLoads.unlimited(),
                new ModelRegistry.Policy(Optional.empty(), Optional.empty(), 3), new SimpleMeterRegistry());
        registry.published("run", 1);
        assertThat(registry.current().orElseThrow().id()).isEqualTo("run@1");

        CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> registry.published("run", 2));
        assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        // while run@2 loads: the serving version, a pinned loaded one, and the status answer at once
        CompletableFuture<Long> requests = CompletableFuture.supplyAsync(() -> {
            long worst = 0;
            for (int i = 0; i < 200; i++) {
                long start = System.nanoTime();
                registry.lease(Optional.empty()).release();
                registry.lease(Optional.of("run@1")).release();
                registry.loadedVersions();
                registry.failures();
                worst = Math.max(worst, System.nanoTime() - start);
            }
            return worst;
        });
        long worstNanos = requests.get(5, TimeUnit.SECONDS);
        assertThat(worstNanos).as("slowest request while a load runs").isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(slow).isNotDone();
        assertThat(registry.current().orElseThrow().id()).isEqualTo("run@1");

        releaseSlow.countDown();
        slow.get(10, TimeUnit.SECONDS);
        assertThat(registry.current().orElseThrow().id()).isEqualTo("run@2");
        assertThat(registry.loadedVersions()).containsExactly("run@1", "run@2");
        assertThat(loads).hasValue(2);
    }

    /**
     * With room for one version only (the serving one), a request for another is still served: before, the load's own
     * eviction closed the version it had just loaded, and the request loaded it again until the on-demand limit said 429.
     */
    @Test
    void aVersionLoadedForARequestIsServedWhereTheLimitKeepsOnlyTheServingOne() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        ModelRegistry registry = registry(countingLoader(checkpoint(), loads, null), new CountedLoads(5), 1);
        registry.published("run", 1);

        GeneratorVersion pinned = registry.lease(Optional.of("run@2"));
        try {
            assertThat(pinned.id()).isEqualTo("run@2");
            assertThat(pinned.generate(new float[16], new int[]{1})).hasSize(1); // open while leased
        } finally {
            pinned.release();
        }
        assertThat(loads).as("run@1 once, run@2 once").hasValue(2);
        assertThat(registry.current().orElseThrow().id()).isEqualTo("run@1");
        assertThat(registry.loadedVersions()).containsExactly("run@1");
        GeneratorVersion serving = registry.lease(Optional.empty());
        serving.release();
        assertThat(serving.id()).isEqualTo("run@1");
    }

    /** A load that fails with an Error (a native library's) answers those waiting for it instead of leaving them waiting. */
    @Test
    void aLoadEndedByAnErrorAnswersTheRequestsWaitingForIt() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        VersionLoader loader = countingLoader(checkpoint(), new AtomicInteger(), id -> {
            if (id.step() == 2) {
                loading.countDown();
                await(fail);
                throw new StackOverflowError("a native library's error");
            }
        });
        ModelRegistry registry = registry(loader, OnDemandLoads.unlimited(), 3);
        registry.published("run", 1);

        CompletableFuture<GeneratorVersion> first = CompletableFuture.supplyAsync(() -> registry.lease(Optional.of("run@2")));
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<GeneratorVersion> waiting = CompletableFuture.supplyAsync(() -> registry.lease(Optional.of("run@2")));
        Thread.sleep(200); // the second request joins the load in flight
        fail.countDown();
        assertThat(first).failsWithin(10, TimeUnit.SECONDS);
        assertThat(waiting).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .withCauseInstanceOf(NoModelException.class).withMessageContaining("run@2 cannot be loaded");
        assertThat(registry.failures()).extracting(LoadFailures.LoadFailure::version).contains("run@2");
    }

    private Path checkpoint() {
        Path checkpoint = dir.resolve("checkpoint");
        if (!java.nio.file.Files.isDirectory(checkpoint)) {
            try (TrainingGraph graph = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                    .seed(1).threads(new SessionThreads(1, 1)).fixedNoise(4).build()) {
                Checkpoints.write(graph, checkpoint, 10, 1, 1, Instant.now());
            }
        }
        return checkpoint;
    }

    /** Loads every version from {@code checkpoint}, counting the loads; {@code before} runs first (null: nothing). */
    private static VersionLoader countingLoader(Path checkpoint, AtomicInteger loads, java.util.function.Consumer<VersionId> before) {
        return new VersionLoader() {
            @Override
            public GeneratorVersion load(VersionId id) {
                loads.incrementAndGet();
                if (before != null) {
                    before.accept(id);
                }
                return GeneratorVersion.load(id, SMALL, checkpoint.resolve(CheckpointLayout.GENERATOR_DIR),
                        new SessionThreads(1, 1), io.oshigan.dcgan.Precision.FP32, false);
            }

            @Override
            public DiscriminatorGraph loadScorer(GeneratorVersion version) {
                throw new NoModelException("no discriminator in this test", true);
            }
        };
    }

    private static ModelRegistry registry(VersionLoader loader, OnDemandLoads onDemand, int maxLoaded) {
        return new ModelRegistry(new EveryVersionExists(), loader, onDemand,
                new ModelRegistry.Policy(Optional.empty(), Optional.empty(), maxLoaded), new SimpleMeterRegistry());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A catalog in which every version exists, without a models bucket. */
    private static final class EveryVersionExists extends VersionCatalog {
        EveryVersionExists() {
            super(null);
        }

        @Override
        public List<VersionId> available() {
            return List.of();
        }

        @Override
        public boolean exists(VersionId id) {
            return true;
        }

        @Override
        public Optional<VersionId> newest(Optional<String> run) {
            return Optional.empty();
        }
    }
}
