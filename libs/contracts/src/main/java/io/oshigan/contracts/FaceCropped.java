package io.oshigan.contracts;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Value of a {@code faces.cropped} record: one stored 96x96 crop. Key: {@link #cropKey()}.
 *
 * @param sourceBucket bucket of the uploaded image
 * @param sourceKey    decoded object key of the uploaded image
 * @param sourceETag   eTag of the uploaded image version the crop was cut from
 * @param faceIndex    index of the face in detector order, from 0
 * @param box          the detected box in source pixels
 * @param cropKey      object key of the crop in the faces bucket
 * @param cropSha256   sha256 of the stored crop bytes, lower-case hex
 */
public record FaceCropped(
        int schemaVersion,
        String sourceBucket,
        String sourceKey,
        String sourceETag,
        int faceIndex,
        Box box,
        String cropKey,
        String cropSha256,
        Instant croppedAt) implements Contract {

    public static final int SCHEMA_VERSION = 1;
    public static final EventCodec<FaceCropped> CODEC =
            EventCodec.versioned(Topic.FACES_CROPPED.topicName(), FaceCropped.class, SCHEMA_VERSION);

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public record Box(int x, int y, int width, int height) {
    }

    @Override
    public void check(Checks checks) {
        checks.require(schemaVersion == SCHEMA_VERSION, "schemaVersion", "must be " + SCHEMA_VERSION + " but is " + schemaVersion);
        checks.notBlank(sourceBucket, "sourceBucket")
                .notBlank(sourceKey, "sourceKey")
                .notBlank(sourceETag, "sourceETag")
                .require(faceIndex >= 0, "faceIndex", "must be >= 0 but is " + faceIndex)
                .notBlank(cropKey, "cropKey")
                .matches(cropSha256, SHA256_HEX, "cropSha256")
                .notNull(croppedAt, "croppedAt");
        if (box == null) {
            checks.notNull(null, "box");
        } else {
            checks.require(box.x() >= 0 && box.y() >= 0, "box", "must start at x, y >= 0 but is " + box)
                    .require(box.width() > 0 && box.height() > 0, "box", "must have a positive size but is " + box);
        }
    }
}
