package io.oshigan.contracts;

import java.time.Instant;
import java.util.List;

/**
 * What one upload gave, stored beside its crops in the faces bucket ({@code manifests/<source id>.json}, written by
 * the crop-service, read by the gateway and the tests). Its presence means "processed": replays and the
 * reconciliation scan skip the upload. Written last, after every crop is stored and announced.
 *
 * @param status         CROPPED (crops hold the faces), NO_FACE, or REJECTED (rejectedReason says why)
 * @param rejectedReason {@code <reason>: <detail>}, e.g. {@code too-many-pixels: PNG of ...}; null unless REJECTED
 */
public record CropManifest(
        int schemaVersion,
        String sourceBucket,
        String sourceKey,
        String sourceETag,
        Status status,
        List<Entry> crops,
        String rejectedReason,
        Instant processedAt) implements Contract {

    public static final int SCHEMA_VERSION = 1;
    public static final EventCodec<CropManifest> CODEC = EventCodec.versioned("crop-manifest", CropManifest.class, SCHEMA_VERSION);

    public enum Status { CROPPED, NO_FACE, REJECTED }

    /** One face: its index, crop key, box (as {@code faces.cropped} carries it) and the crop's sha256. */
    public record Entry(int faceIndex, String cropKey, FaceCropped.Box box, String sha256) {
    }

    /** The faces found in an upload (none: NO_FACE). */
    public static CropManifest of(String bucket, String key, String eTag, List<Entry> crops, Instant now) {
        return new CropManifest(SCHEMA_VERSION, bucket, key, eTag, crops.isEmpty() ? Status.NO_FACE : Status.CROPPED,
                List.copyOf(crops), null, now);
    }

    public static CropManifest rejected(String bucket, String key, String eTag, String reason, Instant now) {
        return new CropManifest(SCHEMA_VERSION, bucket, key, eTag, Status.REJECTED, List.of(), reason, now);
    }

    /** The reason's label, e.g. {@code too-many-pixels}; empty unless REJECTED. */
    public String rejectedLabel() {
        if (rejectedReason == null) {
            return "";
        }
        int colon = rejectedReason.indexOf(':');
        return colon < 0 ? rejectedReason : rejectedReason.substring(0, colon);
    }

    @Override
    public void check(Checks checks) {
        checks.require(schemaVersion == SCHEMA_VERSION, "schemaVersion", "must be " + SCHEMA_VERSION + " but is " + schemaVersion);
        checks.notBlank(sourceBucket, "sourceBucket")
                .notBlank(sourceKey, "sourceKey")
                .notBlank(sourceETag, "sourceETag")
                .notNull(status, "status")
                .notNull(crops, "crops")
                .notNull(processedAt, "processedAt");
        if (status == Status.REJECTED) {
            checks.notBlank(rejectedReason, "rejectedReason");
        }
        if (crops != null) {
            checks.require((status == Status.CROPPED) == !crops.isEmpty(), "crops",
                    "a " + status + " manifest has " + crops.size() + " crops");
        }
    }
}
