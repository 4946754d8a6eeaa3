package io.oshigan.sampler.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.oshigan.sampler.domain.BatchCosts;

import java.util.List;
import java.util.function.Supplier;

/** What the batcher did and decided, as metrics: its runs' sizes and times, its waits, the costs it fitted, its workers. */
final class BatchMetrics {
    final DistributionSummary batchSizes;
    final Timer runTime;
    final Timer waits;
    final Counter alone;
    private final BatchCosts costs;

    BatchMetrics(MeterRegistry metrics, BatchCosts costs, List<Thread> workers) {
        this.costs = costs;
        batchSizes = DistributionSummary.builder("oshigan.sampler.batch.size")
                .description("Images per session run").publishPercentileHistogram().register(metrics);
        runTime = Timer.builder("oshigan.sampler.generate").description("Time of one session run")
                .publishPercentileHistogram().register(metrics);
        waits = Timer.builder("oshigan.sampler.batch.wait")
                .description("Time a batch was held open for more requests after its worker took it").register(metrics);
        alone = Counter.builder("oshigan.sampler.batch.alone")
                .description("Requests run one to a session run, not merged, because a batched image saved nothing").register(metrics);
        Gauge.builder("oshigan.sampler.batch.fixed.cost.seconds", costs, c -> c.fixedNanos() / 1e9)
                .description("Measured fixed cost of a session run").register(metrics);
        Gauge.builder("oshigan.sampler.batch.wait.bound.seconds", costs, c -> c.waitBoundNanos() / 1e9)
                .description("The most a batch waits for mates now: the fixed cost, at most one image's share").register(metrics);
        Gauge.builder("oshigan.sampler.batch.image.cost.seconds", costs, c -> c.perImageNanos() / 1e9)
                .description("Measured time each image adds to a session run").register(metrics);
        Gauge.builder("oshigan.sampler.batch.workers", workers, List::size)
                .description("Batches formed and run at once").register(metrics);
    }

    /**
     * One session run of {@code rows} images of {@code version}: its size and time recorded, and its cost fitted unless
     * merging saves nothing on that version (its runs are not the batcher's to learn from).
     */
    <T> T recorded(BatchModel version, int rows, Supplier<T> session) {
        batchSizes.record(rows);
        long start = System.nanoTime();
        T out = runTime.record(session);
        if (version.batchingSaves()) {
            costs.observe(rows, System.nanoTime() - start);
        }
        return out;
    }
}
