package io.oshigan.storage;

import java.time.Instant;

/** What the S3 server says about one object. {@code eTag} is without quotes. */
public record StoredObject(Bucket bucket, String key, long size, String eTag, String contentType, Instant lastModified) {
}
