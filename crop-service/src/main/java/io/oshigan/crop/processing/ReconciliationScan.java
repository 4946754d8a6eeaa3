package io.oshigan.crop.processing;

import io.oshigan.crop.domain.ImageRejectedException;
import io.oshigan.crop.domain.UploadedImage;
import io.oshigan.crop.storage.CropStore;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bucket notifications can be lost (MinIO drops them while Kafka is unreachable and on restarts), so the service
 * compares bucket raw with its manifests, at start-up and periodically, and processes every upload without one. The
 * periodic scan runs on one replica at a time ({@link io.oshigan.crop.messaging.ScanLeadership}).
 */
@ApplicationScoped
public class ReconciliationScan {
    private static final Logger LOG = Logger.getLogger(ReconciliationScan.class);

    public record Report(int inRaw, int missing, int cropped, int noFace, int rejected, int deferred) {
    }

    private final ObjectStore objects;
    private final CropStore store;
    private final UploadHandling handling;
    private final CropWorkers workers;
    private final io.oshigan.crop.messaging.ScanLeadership leadership;

    ReconciliationScan(ObjectStore objects, CropStore store, UploadHandling handling, CropWorkers workers,
                       io.oshigan.crop.messaging.ScanLeadership leadership) {
        this.leadership = leadership;
        this.objects = objects;
        this.store = store;
        this.handling = handling;
        this.workers = workers;
    }

    @Scheduled(identity = "reconcile", every = "${oshigan.crop.reconcile.every}",
            delayed = "${oshigan.crop.reconcile.initial-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!leadership.isLeader()) {
            LOG.debug("reconciliation scan skipped: another replica holds partition 0 of the uploads");
            return;
        }
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.errorf(e, "reconciliation scan failed; the next one retries");
        }
    }

    public synchronized Report scan() {
        Set<String> processed = store.processedSourceIds();
        List<StoredObject> uploads = objects.list(Bucket.RAW, "");
        List<UploadedImage> missing = uploads.stream()
                .filter(o -> !processed.contains(ObjectKeys.sourceId(Bucket.RAW.bucketName(), o.key(), o.eTag())))
                .map(o -> new UploadedImage(Bucket.RAW.bucketName(), o.key(), o.eTag(), o.size(), o.contentType()))
                .toList();
        AtomicInteger cropped = new AtomicInteger();
        AtomicInteger noFace = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger deferred = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(workers.parallelism(), missing.size())));
        try {
            List<Future<?>> running = missing.stream().<Future<?>>map(image -> pool.submit(() -> {
                try {
                    Optional<Outcome> outcome = handling.handle(image, "reconciliation");
                    if (outcome.isEmpty()) {
                        deferred.incrementAndGet();
                    } else if (outcome.get() == Outcome.CROPPED) {
                        cropped.incrementAndGet();
                    } else if (outcome.get() == Outcome.NO_FACE) {
                        noFace.incrementAndGet();
                    }
                } catch (ImageRejectedException e) {
                    rejected.incrementAndGet();
                }
            })).toList();
            for (Future<?> task : running) {
                task.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("reconciliation task failed", e.getCause());
        } finally {
            pool.shutdown();
        }
        Report report = new Report(uploads.size(), missing.size(), cropped.get(), noFace.get(), rejected.get(), deferred.get());
        if (report.missing() > 0) {
            LOG.infof("reconciliation: %s", report);
        }
        return report;
    }
}
