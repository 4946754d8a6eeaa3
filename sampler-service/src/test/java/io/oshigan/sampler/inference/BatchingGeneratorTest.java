package io.oshigan.sampler.inference;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batcher without Quarkus: its workers outlive any failure of a batch; it waits only for a crowd. */
class BatchingGeneratorTest {
    /** The stub session: 1 ms a run and 0.7 ms an image, times four: as on a CPU four times slower than this one. */
    private static final double SLOW = 4;

    /** A session that sleeps as long as a run of its size takes, and records each run's size. */
    private static BatchModel slowSession(List<Integer> runs) {
        return (latents, counts) -> {
            int images = Arrays.stream(counts).sum();
            runs.add(images);
            LockSupport.parkNanos(Math.round(SLOW * (1.0 + 0.7 * images) * 1e6));
            return Arrays.stream(counts).mapToObj(c -> new float[]{c}).toList();
        };
    }

    @Test
    void aLoneClientIsServedWithoutWaitingEvenWhenTheSessionIsSlow() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        BatchingGenerator batcher = new BatchingGenerator(true, 64, 100, 1, metrics);
        List<Integer> runs = new CopyOnWriteArrayList<>();
        BatchModel model = slowSession(runs);
        try {
            for (int i = 0; i < 40; i++) {
                batcher.generate(model, new float[2], 1);
            }
            assertThat(runs).hasSize(40).containsOnly(1);
            // it knows a run's fixed cost by now (several ms), and held none of the batches open for it
            assertThat(batcher.costs().fixedNanos()).isGreaterThan(2_000_000);
            Timer waits = metrics.get("oshigan.sampler.batch.wait").timer();
            assertThat(waits.count()).isEqualTo(40);
            assertThat(waits.max(TimeUnit.MILLISECONDS)).as("longest wait, ms").isLessThan(batcher.costs().fixedNanos() / 4e6);
        } finally {
            batcher.stop(null);
        }
    }

    @Test
    void aCrowdIsServedInFullBatchesWhenTheSessionIsSlow() throws Exception {
        BatchingGenerator batcher = new BatchingGenerator(true, 64, 100, 1, new SimpleMeterRegistry());
        List<Integer> runs = new CopyOnWriteArrayList<>();
        BatchModel model = slowSession(runs);
        int clients = 16;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        batcher.generate(model, new float[2], 1);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
            assertThat(runs.stream().mapToInt(Integer::intValue).sum()).isEqualTo(clients * 30);
            List<Integer> settled = runs.subList(5, runs.size()); // the first runs teach it the crowd and the costs
            long full = settled.stream().filter(size -> size == clients).count();
            assertThat(full).as("full batches of %d among %s", clients, settled).isGreaterThanOrEqualTo(Math.round(0.8 * settled.size()));
        } finally {
            pool.shutdownNow();
            batcher.stop(null);
        }
    }

    @Test
    void asManyWorkersRunAsTheCoresHoldSessionRuns() {
        assertThat(BatchingGenerator.workersFor(2, 0)).isEqualTo(1);
        assertThat(BatchingGenerator.workersFor(2, 2)).isEqualTo(1);
        assertThat(BatchingGenerator.workersFor(2, 1)).isEqualTo(2);
        assertThat(BatchingGenerator.workersFor(16, 4)).isEqualTo(4);
        assertThat(BatchingGenerator.workersFor(2, 8)).isEqualTo(1);
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
