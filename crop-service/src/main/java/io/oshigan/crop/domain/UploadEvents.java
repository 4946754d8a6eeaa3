package io.oshigan.crop.domain;

import io.oshigan.contracts.S3EventNotification;
import io.oshigan.contracts.S3EventRecord;
import io.oshigan.storage.Bucket;

import java.util.List;

/** Picks the images worth cropping out of a bucket notification: objects created in the raw bucket. */
public final class UploadEvents {
    private UploadEvents() {
    }

    public static List<UploadedImage> createdImages(S3EventNotification event) {
        return event.records().stream()
                .filter(S3EventRecord::isObjectCreated)
                .filter(r -> Bucket.RAW.bucketName().equals(r.s3().bucket().name()))
                .map(r -> new UploadedImage(r.s3().bucket().name(), r.s3().object().decodedKey(),
                        r.s3().object().eTag(), r.s3().object().size(), r.s3().object().contentType()))
                .toList();
    }
}
