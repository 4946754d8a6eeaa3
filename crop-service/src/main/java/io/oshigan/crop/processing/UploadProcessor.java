package io.oshigan.crop.processing;

import io.oshigan.contracts.FaceCropped;
import io.oshigan.contracts.CropManifest;
import io.oshigan.crop.domain.CropPipeline;
import io.oshigan.crop.domain.CropResult;
import io.oshigan.crop.domain.FaceCrop;
import io.oshigan.crop.domain.ImageRejectedException;
import io.oshigan.crop.domain.NativeMemoryExhaustedException;
import io.oshigan.crop.domain.UploadedImage;
import io.oshigan.crop.messaging.FaceEventPublisher;
import io.oshigan.crop.storage.CropStore;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.support.concurrent.StripedLocks;
import io.oshigan.support.retry.TransientFailureException;
import io.oshigan.support.retry.TransientRetry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

import static io.oshigan.crop.domain.ImageRejectedException.Reason;

/**
 * Processes one upload with an exactly-once effect on at-least-once delivery: the manifest, written last, marks the
 * upload done; crops go under deterministic keys with put-if-absent. A replay finds the manifest and does nothing.
 * (Only a crash between announcing the crops and writing the manifest can announce a crop twice, under the same
 * crop key, so a consumer can tell.)
 */
@ApplicationScoped
public class UploadProcessor {
    private static final int LOCK_STRIPES = 64;

    private final CropPipeline pipeline;
    private final CropStore store;
    private final ObjectStore objects;
    private final FaceEventPublisher publisher;
    private final TransientRetry retry;
    private final CropMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    /** Two deliveries of one upload (a replay racing the original) must not interleave. */
    private final StripedLocks locks = new StripedLocks(LOCK_STRIPES);

    UploadProcessor(CropPipeline pipeline, CropStore store, ObjectStore objects, FaceEventPublisher publisher,
                    TransientRetry retry, CropMetrics metrics) {
        this.pipeline = pipeline;
        this.store = store;
        this.objects = objects;
        this.publisher = publisher;
        this.retry = retry;
        this.metrics = metrics;
    }

    /**
     * @throws ImageRejectedException    the upload can never be cropped (a rejected manifest is stored first)
     * @throws TransientFailureException S3, Kafka or OpenCV's memory kept failing; nothing is marked done, so a later scan retries
     */
    public Outcome process(UploadedImage image) {
        String sourceId = ObjectKeys.sourceId(image.bucket(), image.key(), image.eTag());
        Lock lock = locks.of(sourceId);
        lock.lock();
        try {
            if (retry.call("look up manifest " + sourceId, () -> store.hasManifest(sourceId))) {
                return Outcome.ALREADY_PROCESSED;
            }
            Optional<StoredObject> current = retry.call("stat " + image.key(), () -> objects.stat(Bucket.RAW, image.key()));
            if (current.isEmpty()) {
                throw vanished(image);
            }
            if (!current.get().eTag().equals(ObjectKeys.stripQuotes(image.eTag()))) {
                return Outcome.SUPERSEDED;
            }
            return metrics.timeProcessing(() -> cropAndStore(image, sourceId, current.get()));
        } finally {
            lock.unlock();
        }
    }

    private static ImageRejectedException vanished(UploadedImage image) {
        return new ImageRejectedException(Reason.VANISHED, "the object no longer exists in bucket " + image.bucket()
                + " (deleted after its upload)");
    }

    /** OpenCV running out of native memory passes when other images are done: retried like S3 and Kafka. */
    private CropResult runPipeline(String key, byte[] data) {
        return retry.call("crop " + key, () -> {
            try {
                return pipeline.run(data);
            } catch (NativeMemoryExhaustedException e) {
                throw new TransientFailureException("crop " + key, e);
            }
        });
    }

    private Outcome cropAndStore(UploadedImage image, String sourceId, StoredObject object) {
        CropResult result;
        try {
            if (object.size() > pipeline.headers().limits().maxBytes()) {
                throw pipeline.headers().tooLarge(object.size());
            }
            // the version stat'ed, no more bytes than the limit (and one): an object overwritten since is the newer
            // version's event's to crop, not this one's under this one's name
            Optional<byte[]> data = retry.call("get " + image.key(),
                    () -> objects.getVersion(Bucket.RAW, image.key(), object.eTag(), pipeline.headers().limits().maxBytes()));
            if (data.isEmpty()) { // overwritten (a newer event crops it) or deleted since the stat
                if (retry.call("stat " + image.key(), () -> objects.stat(Bucket.RAW, image.key())).isEmpty()) {
                    throw vanished(image);
                }
                return Outcome.SUPERSEDED;
            }
            result = runPipeline(image.key(), data.get());
        } catch (ImageRejectedException e) {
            if (e.reason() == Reason.VANISHED) {
                throw e; // dead-lettered with its reason, as when the stat finds it gone: no version left to mark
            }
            retry.run("store manifest " + sourceId,
                    () -> store.putManifest(sourceId, CropManifest.rejected(image.bucket(), image.key(), image.eTag(),
                            e.getMessage(), clock.instant())));
            throw e;
        }
        List<CropManifest.Entry> entries = new ArrayList<>();
        for (FaceCrop face : result.faces()) {
            String cropKey = ObjectKeys.crop(sourceId, face.index());
            FaceCropped.Box box = new FaceCropped.Box(face.box().x(), face.box().y(), face.box().width(), face.box().height());
            retry.call("store crop " + cropKey, () -> store.putCrop(cropKey, face.png()));
            FaceCropped event = new FaceCropped(FaceCropped.SCHEMA_VERSION, image.bucket(), image.key(),
                    ObjectKeys.stripQuotes(image.eTag()), face.index(),
                    box, cropKey, face.sha256(), clock.instant());
            retry.run("announce crop " + cropKey, () -> publisher.publish(event));
            entries.add(new CropManifest.Entry(face.index(), cropKey, box, face.sha256()));
        }
        retry.run("store manifest " + sourceId,
                () -> store.putManifest(sourceId, CropManifest.of(image.bucket(), image.key(), image.eTag(), entries,
                        clock.instant())));
        metrics.faces(entries.size());
        return entries.isEmpty() ? Outcome.NO_FACE : Outcome.CROPPED;
    }
}
