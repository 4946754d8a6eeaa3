package io.oshigan.crop.domain;

import java.time.Instant;
import java.util.List;

/**
 * What one upload gave, stored beside its crops. Its presence means "processed": replays and the reconciliation scan
 * skip the upload. Written last, after every crop is stored and announced.
 */
public record CropManifest(
        int schemaVersion,
        String sourceBucket,
        String sourceKey,
        String sourceETag,
        Status status,
        List<Entry> crops,
        String rejectedReason,
        Instant processedAt) {

    public static final int SCHEMA_VERSION = 1;

    public enum Status { CROPPED, NO_FACE, REJECTED }

    public record Entry(int faceIndex, String cropKey, Box box, String sha256) {
    }

    public static CropManifest of(UploadedImage image, List<Entry> crops, Instant now) {
        return new CropManifest(SCHEMA_VERSION, image.bucket(), image.key(), image.eTag(),
                crops.isEmpty() ? Status.NO_FACE : Status.CROPPED, List.copyOf(crops), null, now);
    }

    public static CropManifest rejected(UploadedImage image, String reason, Instant now) {
        return new CropManifest(SCHEMA_VERSION, image.bucket(), image.key(), image.eTag(), Status.REJECTED,
                List.of(), reason, now);
    }
}
