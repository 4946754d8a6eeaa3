package io.oshigan.sampler.inference;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batcher without Quarkus: its workers outlive any failure of a batch; it waits only for a crowd. */
class BatchingGeneratorTest {
    /** The stub session: 2 ms a run and 1 ms an image, times four: as on a CPU four times slower than a slow one. */
    private static final double SLOW = 4;

    /** A session that sleeps as long as a run of its size takes, and records each run's size. */
    private static BatchModel slowSession(List<Integer> runs) {
        return (latents, counts) -> {
            int images = Arrays.stream(counts).sum();
            runs.add(images);
            LockSupport.parkNanos(Math.round(SLOW * (2.0 + images) * 1e6));
            return Arrays.stream(counts).mapToObj(c -> new float[]{c}).toList();
        };
    }

    @Test
    void requestsForAVersionOnWhichABatchSavesNothingRunOneAtATimePerWorkerUnmerged() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        int workers = 2;
        BatchingGenerator batcher = new BatchingGenerator(true, 64, 100, workers, metrics);
        List<String> threads = new CopyOnWriteArrayList<>();
        List<Integer> requestsPerRun = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        BatchModel allImages = new BatchModel() { // a run's time is all images: nothing to gain from a batch
            @Override
            public List<float[]> generate(float[] latents, int[] counts) {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                threads.add(Thread.currentThread().getName());
                requestsPerRun.add(counts.length);
                LockSupport.parkNanos(Math.round(SLOW * Arrays.stream(counts).sum() * 1e6));
                running.decrementAndGet();
                return Arrays.stream(counts).mapToObj(c -> new float[]{c}).toList();
            }

            @Override
            public boolean batchingSaves() {
                return false;
            }
        };
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        assertThat(batcher.generate(allImages, new float[2], 1)).containsExactly(1f);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertThat(requestsPerRun).as("never merged").hasSize(clients * 20).containsOnly(1);
            assertThat(threads).as("run by the workers, not on the clients' threads").allMatch(t -> t.startsWith("sampler-batcher-"));
            assertThat(mostAtOnce.get()).as("at most one run per worker at once").isEqualTo(workers);
            assertThat(metrics.get("oshigan.sampler.batch.alone").counter().count()).isEqualTo(clients * 20);
            assertThat(metrics.get("oshigan.sampler.batch.wait").timer().count()).as("no batch held open").isZero();
            assertThat(batcher.costs().fixedNanos()).as("runs of one request at a time are no costs to fit").isZero();
        } finally {
            pool.shutdownNow();
            batcher.stop(null);
        }
    }

    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 2})
    void aLoneClientIsServedWithoutWaitingEvenWhenTheSessionIsSlow(int workers) {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        BatchingGenerator batcher = new BatchingGenerator(true, 64, 100, workers, metrics);
        List<Integer> runs = new CopyOnWriteArrayList<>();
        BatchModel model = slowSession(runs);
        try {
            for (int i = 0; i < 40; i++) {
                batcher.generate(model, new float[2], 1);
            }
            assertThat(runs).hasSize(40).containsOnly(1);
            // it knows by now that a batch could wait several ms for a mate (what a lone run costs beyond its image),
            // and held none open for it: had it waited, each wait would be that long
            long bound = batcher.costs().waitBoundNanos();
            assertThat(bound).isGreaterThan(4_000_000);
            Timer waits = metrics.get("oshigan.sampler.batch.wait").timer();
            assertThat(waits.count()).isEqualTo(40);
            assertThat(waits.mean(TimeUnit.NANOSECONDS)).as("mean wait, ns").isLessThan(bound / 8.0);
        } finally {
            batcher.stop(null);
        }
    }

    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 2})
    void aCrowdIsServedInFullBatchesWhenTheSessionIsSlow(int workers) throws Exception {
        BatchingGenerator batcher = new BatchingGenerator(true, 64, 100, workers, new SimpleMeterRegistry());
        List<Integer> runs = new CopyOnWriteArrayList<>();
        BatchModel model = slowSession(runs);
        int clients = 16;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        batcher.generate(model, new float[2], 1);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
            assertThat(runs.stream().mapToInt(Integer::intValue).sum()).isEqualTo(clients * 50);
            // the first runs teach it the crowd and the costs; the last ones see the clients finish
            List<Integer> settled = runs.subList(10 * workers, runs.size() - 2 * workers);
            int share = clients / workers; // each worker serves its part of the crowd, all at once
            // most batches are that part whole, and on average at least 0.85 of it: a client the host's scheduler
            // wakes late misses one batch (on 2 cores beside two busy processes: 1 batch in 5 one or more short)
            List<Integer> sorted = settled.stream().sorted().toList();
            double mean = settled.stream().mapToInt(Integer::intValue).average().orElseThrow();
            assertThat(sorted.get(sorted.size() / 2)).as("the median batch among %s", settled).isGreaterThanOrEqualTo(share);
            assertThat(mean).as("the mean batch among %s", settled).isGreaterThanOrEqualTo(0.85 * share);
        } finally {
            pool.shutdownNow();
            batcher.stop(null);
        }
    }

    @Test
    void stoppingFailsTheWaitingRequestsInsteadOfLeavingThemHanging() throws Exception {
        BatchingGenerator batcher = new BatchingGenerator(true, 64, 100, 1, new SimpleMeterRegistry());
        Gate gate = new Gate();
        BatchModel model = gate.model();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<float[]> inRun = pool.submit(() -> batcher.generate(model, new float[2], 1));
            assertThat(gate.running.await(10, TimeUnit.SECONDS)).isTrue();
            Future<float[]> queued = pool.submit(() -> batcher.generate(model, new float[2], 1));
            Thread.sleep(100); // queued behind the run
            batcher.stop(null);
            assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("the sampler is shutting down");
            assertThatThrownBy(() -> batcher.generate(model, new float[2], 1)).hasMessage("the sampler is shutting down");
            gate.release.countDown();
            assertThat(inRun.get(10, TimeUnit.SECONDS)).containsExactly(1f); // the run in progress still answers
        } finally {
            gate.release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void asManyWorkersRunAsTheCoresHoldSessionRunsAndTwoWhereThereAreTwoCores() {
        assertThat(BatchingGenerator.workersFor(2, 0)).isEqualTo(2);
        assertThat(BatchingGenerator.workersFor(2, 2)).isEqualTo(2);
        assertThat(BatchingGenerator.workersFor(2, 1)).isEqualTo(2);
        assertThat(BatchingGenerator.workersFor(16, 4)).isEqualTo(4);
        assertThat(BatchingGenerator.workersFor(16, 16)).isEqualTo(2);
        assertThat(BatchingGenerator.workersFor(2, 8)).isEqualTo(2);
        assertThat(BatchingGenerator.workersFor(1, 0)).isEqualTo(1);
        assertThat(BatchingGenerator.workersFor(1, 1)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 2})
    void requestsForTwoVersionsAreEachAnsweredByTheirOwnInRunsOfOneVersion(int workers) throws Exception {
        BatchingGenerator batcher = new BatchingGenerator(true, 64, 100, workers, new SimpleMeterRegistry());
        List<String> runs = new CopyOnWriteArrayList<>();
        List<BatchModel> versions = List.of(version("a", runs), version("b", runs));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        int v = (client + i) % 2; // the two versions interleaved in the queue
                        assertThat(batcher.generate(versions.get(v), new float[2], 1)).containsExactly(v);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES); // a request put back and then lost would hang here
            }
            assertThat(runs).anyMatch(run -> run.startsWith("a")).anyMatch(run -> run.startsWith("b"));
        } finally {
            pool.shutdownNow();
            batcher.stop(null);
        }
    }

    /**
     * Two versions loaded at once (an A/B test) interleave in the queue; a request too big for the room a batch has
     * left comes before smaller ones. A batch takes what it admits past both, and they keep their places for the next
     * run: it used to end at the first request it could not take (here "a[2]", "b[1]", "a[3, 1]", "a[1]").
     */
    @Test
    void aBatchCollectsPastARequestOfAnotherVersionOrTooBigAndThatRequestIsServedNext() throws Exception {
        BatchingGenerator batcher = new BatchingGenerator(true, 4, 100, 1, new SimpleMeterRegistry());
        List<String> runs = new CopyOnWriteArrayList<>();
        Gate gate = new Gate();
        BatchModel busy = gate.model(); // holds the only worker while the queue fills
        BatchModel a = version("a", runs);
        BatchModel b = version("b", runs);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<float[]>> answers = new ArrayList<>();
            answers.add(pool.submit(() -> batcher.generate(busy, new float[2], 1)));
            assertThat(gate.running.await(10, TimeUnit.SECONDS)).isTrue();
            record Request(BatchModel version, int n) {
            }
            List<Request> line = List.of(new Request(a, 2), new Request(b, 1), new Request(a, 3), new Request(a, 1),
                    new Request(a, 1));
            for (Request request : line) { // queued one after the other, in this order
                int queued = batcher.queued();
                answers.add(pool.submit(() -> batcher.generate(request.version(), new float[2 * request.n()], request.n())));
                awaitQueued(batcher, queued + 1);
            }
            gate.release.countDown();
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).as("request %d answered", i).isNotEmpty();
            }
            assertThat(answers.get(2).get()).as("b's own image").containsExactly(1f);
            assertThat(runs).containsExactly("a[2, 1, 1]", "b[1]", "a[3]");
        } finally {
            gate.release.countDown();
            pool.shutdownNow();
            batcher.stop(null);
        }
    }

    /**
     * A batch waiting for mates (a crowd came before, a run's fixed cost is seconds) stops waiting when another
     * version's request comes and no worker is free for it: that request is answered after the batch's run, not after
     * its wait (here about 3.6 s), which it waited out when a batch collected past it regardless.
     */
    @Test
    void aBatchStopsWaitingForMatesWhenAnotherVersionsRequestHasNoFreeWorker() throws Exception {
        BatchingGenerator batcher = oneWorkerWaitingSeconds();
        List<String> runs = new CopyOnWriteArrayList<>();
        Gate gate = new Gate();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            // the only worker held while two requests of a queue (a crowd of 3)
            Held held = holdWhileQueued(batcher, pool, gate, version("a", runs), 2);
            List<Future<float[]>> as = held.queued();
            gate.release.countDown();
            assertThat(held.first().get(10, TimeUnit.SECONDS)).containsExactly(1f);
            awaitQueued(batcher, 0); // the worker holds both a's and waits for a third
            long asked = System.nanoTime();
            BatchModel b = unmerged(version("b", runs)); // so that b's own run does not wait for b's mates
            float[] image = CompletableFuture.supplyAsync(() -> batcher.generate(b, new float[2], 1), pool)
                    .get(10, TimeUnit.SECONDS);
            long waited = System.nanoTime() - asked;
            assertThat(image).containsExactly(1f);
            assertThat(waited).as("b answered after a's run, not after a's wait").isLessThan(TimeUnit.SECONDS.toNanos(1));
            for (Future<float[]> answer : as) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).containsExactly(0f);
            }
            assertThat(runs).containsExactly("a[1, 1]", "b[1]");
        } finally {
            gate.release.countDown();
            pool.shutdownNow();
            batcher.stop(null);
        }
    }

    /**
     * A worker expects a share of the crowd of the version it takes, not of everyone's: after a batch of three of
     * version a, a lone client of version b is answered at once, not after the wait for b's "crowd" of three (here
     * about 3.6 s). And the request that held the worker (another version, alone) did not make a's batch wait for a
     * fourth.
     */
    @Test
    void aLoneClientOfOneVersionDoesNotWaitForTheCrowdOfAnother() throws Exception {
        BatchingGenerator batcher = oneWorkerWaitingSeconds();
        List<String> runs = new CopyOnWriteArrayList<>();
        Gate gate = new Gate();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Held held = holdWhileQueued(batcher, pool, gate, version("a", runs), 3);
            long released = System.nanoTime();
            gate.release.countDown();
            assertThat(held.first().get(10, TimeUnit.SECONDS)).containsExactly(1f);
            for (Future<float[]> answer : held.queued()) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).containsExactly(0f);
            }
            assertThat(System.nanoTime() - released).as("a's three answered without waiting for a fourth")
                    .isLessThan(TimeUnit.SECONDS.toNanos(1));
            long asked = System.nanoTime();
            float[] image = batcher.generate(version("b", runs), new float[2], 1);
            assertThat(System.nanoTime() - asked).as("b alone answered at once").isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(image).containsExactly(1f);
            assertThat(runs).containsExactly("a[1, 1, 1]", "b[1]");
        } finally {
            gate.release.countDown();
            pool.shutdownNow();
            batcher.stop(null);
        }
    }

    /** One worker whose batches wait seconds for mates: fitted runs of 20 s whatever their size, one image's share about 3.6 s. */
    private static BatchingGenerator oneWorkerWaitingSeconds() {
        BatchingGenerator batcher = new BatchingGenerator(true, 64, 5000, 1, new SimpleMeterRegistry());
        for (int i = 0; i < 10; i++) {
            batcher.costs().observe(1, 20_000_000_000L);
            batcher.costs().observe(8, 20_000_000_000L);
        }
        assertThat(batcher.costs().waitBoundNanos()).isGreaterThan(TimeUnit.SECONDS.toNanos(3));
        return batcher;
    }

    /** The request that holds the only worker at a gate, and those queued behind it. */
    private record Held(Future<float[]> first, List<Future<float[]>> queued) {
    }

    /**
     * Holds the only worker with a request at {@code gate} (of a version merging saves nothing on, so not fitted: the
     * costs stay), then queues {@code count} requests of {@code version} behind it.
     */
    private static Held holdWhileQueued(BatchingGenerator batcher, ExecutorService pool, Gate gate, BatchModel version,
                                        int count) throws InterruptedException {
        BatchModel busy = unmerged(gate.model());
        Future<float[]> first = pool.submit(() -> batcher.generate(busy, new float[2], 1));
        assertThat(gate.running.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<float[]>> queued = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            queued.add(pool.submit(() -> batcher.generate(version, new float[2], 1)));
            awaitQueued(batcher, i + 1);
        }
        return new Held(first, queued);
    }

    /** A model whose runs wait at the gate until it is released: it holds a worker while a test fills the queue. */
    private static final class Gate {
        final java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        BatchModel model() {
            return (latents, counts) -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Arrays.stream(counts).mapToObj(c -> new float[]{c}).toList();
            };
        }
    }

    /** {@code model} as a version on which merging saves nothing. */
    private static BatchModel unmerged(BatchModel model) {
        return new BatchModel() {
            @Override
            public List<float[]> generate(float[] latents, int[] counts) {
                return model.generate(latents, counts);
            }

            @Override
            public boolean batchingSaves() {
                return false;
            }
        };
    }

    private static void awaitQueued(BatchingGenerator batcher, int requests) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batcher.queued() != requests && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(batcher.queued()).as("queued").isEqualTo(requests);
    }

    /** A version whose every image is its index (a: 0, b: 1); each run is recorded as its name and its requests' sizes. */
    private static BatchModel version(String name, List<String> runs) {
        return (latents, counts) -> {
            runs.add(name + Arrays.toString(counts));
            LockSupport.parkNanos(500_000);
            return Arrays.stream(counts).mapToObj(c -> new float[]{name.equals("a") ? 0 : 1}).toList();
        };
    }

    @Test
    void noWorkersIsRefusedAtStartInsteadOfLeavingEveryRequestWaiting() {
        assertThatThrownBy(() -> new BatchingGenerator(true, 64, 10, 0, new SimpleMeterRegistry()))
                .hasMessage("oshigan.sampler.batching.workers must be at least 1 but is 0");
        new BatchingGenerator(false, 64, 10, 0, new SimpleMeterRegistry()).stop(null); // off: no worker needed
    }

    @Test
    void anErrorInOneBatchFailsItsRequestsAndTheNextRequestIsServed() throws Exception {
        BatchingGenerator batcher = new BatchingGenerator(true, 64, 2, 1, new SimpleMeterRegistry());
        AtomicBoolean broken = new AtomicBoolean(true);
        BatchModel model = (latents, counts) -> {
            if (broken.getAndSet(false)) {
                throw new StackOverflowError("native stack exhausted");
            }
            return Arrays.stream(counts).mapToObj(c -> new float[]{c}).toList();
        };
        try {
            CompletableFuture<float[]> failing = CompletableFuture.supplyAsync(() -> batcher.generate(model, new float[2], 1));
            assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(StackOverflowError.class);
            // the worker survived: the next request is answered (bounded here; it used to wait forever)
            CompletableFuture<float[]> next = CompletableFuture.supplyAsync(() -> batcher.generate(model, new float[2], 1));
            assertThat(next.get(10, TimeUnit.SECONDS)).containsExactly(1f);
        } finally {
            batcher.stop(null);
        }
    }
}
