package io.oshigan.trainer.training;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.StorageException;
import io.oshigan.support.retry.TransientFailureException;
import io.oshigan.support.retry.TransientRetry;
import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.dcgan.translate.FacePixels;
import io.oshigan.trainer.storage.FaceSource;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The faces already in the bucket, read before training starts (demo faces this trainer wrote itself drawn again, not
 * read back), and the ones announced later. The demo's synthetic faces ({@code crops/demo/}) are trained on only in
 * demo mode: a later run on the same bucket trains on the uploads' crops alone. S3 not up yet (pods start in any
 * order) is waited for; a crop that will not decode is skipped and counted.
 */
final class StoredFaces {
    private static final Logger LOG = Logger.getLogger(StoredFaces.class);
    /** Stored crops admitted to the data set at start in chunks of this many (the listing is in key order). */
    private static final int ADMIT_AT_START_EVERY = 256;
    /** While the loop waits for data it asks twice a second; the exclusions are listed at most this often then. */
    static final long WAITING_REREAD_NANOS = 5_000_000_000L;

    private final FaceSource faces;
    private final FaceDataset dataset;
    private final int demoFaces;
    private final Counter skipped;
    /** Demo faces this trainer wrote, key to index, kept across tries: a retried load still draws them. */
    private final Map<String, Integer> writtenHere = new HashMap<>();
    private long exclusionsReadAt = System.nanoTime() - WAITING_REREAD_NANOS;

    StoredFaces(FaceSource faces, FaceDataset dataset, int demoFaces, MeterRegistry metrics) {
        this.faces = faces;
        this.dataset = dataset;
        this.demoFaces = demoFaces;
        this.skipped = Counter.builder("oshigan.trainer.crops.skipped")
                .description("Stored crops that would not decode, skipped at start").register(metrics);
    }

    /**
     * Queues a crop announced on faces.cropped; it joins the data set at the next epoch boundary. (Only the
     * crop-service announces crops, never under crops/demo/; one that were is left out as at start.)
     */
    void offer(String key) {
        if (!dataset.knows(key) && !leftOut(key)) {
            byte[] pixels = FacePixels.fromImageBytes(faces.fetch(key));
            try {
                dataset.offer(key, pixels);
            } catch (java.io.UncheckedIOException e) {
                // the trainer's own disk (the waiting crops' spill file), not the crop: waited out, never dead-lettered
                throw new TransientFailureException("hold crop " + key + " on local disk", e);
            }
        }
    }

    /**
     * Reads every stored crop, the demo's only in demo mode (draws the demo faces written here). S3 away, or the
     * bucket not made yet (pods start in any order), is waited out by {@code retry}, round after round, until
     * {@code stopping}; a refusal that waiting cannot cure is thrown.
     */
    void loadAll(TransientRetry retry, BooleanSupplier stopping) {
        retry.untilDone("read the faces bucket", () -> {
            loadOnce();
            return null;
        }, stopping);
    }

    /**
     * Reads which crops are excluded; they stay out from the next epoch on. S3 away: the exclusions known so far
     * hold (a short retry, not a round that would hold training up), read again at the next epoch.
     */
    void refreshExclusions(TransientRetry retry) {
        exclusionsReadAt = System.nanoTime();
        try {
            dataset.exclude(retry.request("list the excluded crops", faces::excludedCrops));
        } catch (StorageException e) {
            LOG.warnf("the excluded crops could not be read (%s); the ones known so far stay excluded", e.getMessage());
        }
    }

    /**
     * {@link #refreshExclusions} for a loop that waits for data (a crop brought back may end the wait): at most every
     * {@link #WAITING_REREAD_NANOS}, not at every turn.
     */
    void refreshExclusionsWhileWaiting(TransientRetry retry) {
        if (System.nanoTime() - exclusionsReadAt >= WAITING_REREAD_NANOS) {
            refreshExclusions(retry);
        }
    }

    private void loadOnce() {
        try {
            if (demoFaces > 0) {
                Map<String, Integer> written = faces.seedDemoFaces(demoFaces);
                writtenHere.putAll(written);
                LOG.infof("demo mode: %d synthetic faces written to the faces bucket", written.size());
            }
            int offered = 0;
            int demoLeftOut = 0;
            for (String key : faces.cropKeys()) {
                if (leftOut(key)) {
                    demoLeftOut++;
                    continue;
                }
                Integer drawn = writtenHere.get(key);
                if (drawn == null) {
                    offerStored(key);
                } else if (!dataset.knows(key)) {   // written just now: drawn again, not read back
                    dataset.offer(key, FaceSource.demoPixels(drawn));
                }
                // no epoch runs yet: admit as the listing goes (in key order, as one admission would), so what
                // waits in memory stays a chunk and the rest goes to the budgeted cache, which spills to disk
                if (++offered % ADMIT_AT_START_EVERY == 0) {
                    dataset.admitPending();
                }
            }
            dataset.admitPending();
            if (demoLeftOut > 0) {
                LOG.infof("left out %d synthetic faces of an earlier demo (%s): only a trainer in demo mode trains on"
                        + " them", demoLeftOut, ObjectKeys.DEMO_CROPS);
            }
            LOG.infof("data set: %d faces found in the bucket%s", dataset.pendingCount() + dataset.size(),
                    dataset.duplicateCount() == 0 ? "" : ", and " + dataset.duplicateCount()
                            + " crops with the pixels of another, each left out (a face trains once)");
        } catch (StorageException e) {
            if (e.isNotFound()) { // the bucket, not a crop (those are skipped): the crop-service has not made it yet
                throw new StorageException(StorageException.Kind.TRANSIENT, "the faces bucket is not there yet: "
                        + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The demo's synthetic faces, outside demo mode: never in the data set. */
    private boolean leftOut(String key) {
        return demoFaces == 0 && ObjectKeys.isDemoCrop(key);
    }

    private void offerStored(String key) {
        try {
            offer(key);
        } catch (IllegalArgumentException e) {
            skipped.increment();
            LOG.warnf("crop %s skipped: %s", key, e.getMessage());
        } catch (StorageException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            LOG.infof("crop %s skipped: removed since the listing", key);
        }
    }
}
