package io.oshigan.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.messages.Item;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Object access for every service, through the MinIO Java client. Writes carry a content type; {@link #putIfAbsent}
 * makes a write under a deterministic key idempotent. Failures surface as {@link StorageException}.
 */
public final class ObjectStore implements AutoCloseable {
    /** Part size for streams of unknown length; S3 allows 5 MiB .. 5 GiB. */
    static final long MULTIPART_PART_SIZE = 16L * 1024 * 1024;

    private final MinioClient client;
    private final StorageSettings settings;
    private final ReadRetry reads;

    private ObjectStore(MinioClient client, StorageSettings settings, ReadRetry reads) {
        this.client = client;
        this.settings = settings;
        this.reads = reads;
    }

    /** A store whose reads are tried once (tools, tests); services pass their retry policy. */
    public static ObjectStore connect(StorageSettings settings) {
        return connect(settings, ReadRetry.NONE);
    }

    public static ObjectStore connect(StorageSettings settings, ReadRetry reads) {
        MinioClient client = MinioClient.builder()
                .endpoint(settings.endpoint().toString())
                .credentials(settings.accessKey(), settings.secretKey())
                .region(settings.region())
                .build();
        return new ObjectStore(client, settings, reads);
    }

    public StorageSettings settings() {
        return settings;
    }

    /** Creates whichever of the given buckets is missing. Safe to call concurrently and repeatedly. */
    public void ensureBuckets(Bucket... buckets) {
        for (Bucket bucket : buckets) {
            if (!bucketExists(bucket)) {
                S3Calls.run("create bucket " + bucket.bucketName(), () -> {
                    try {
                        client.makeBucket(MakeBucketArgs.builder().bucket(bucket.bucketName()).build());
                    } catch (io.minio.errors.ErrorResponseException e) {
                        if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                            throw e;
                        }
                    }
                    return null;
                });
            }
        }
    }

    public boolean bucketExists(Bucket bucket) {
        return S3Calls.run("check bucket " + bucket.bucketName(),
                () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket.bucketName()).build()));
    }

    public StoredObject put(Bucket bucket, String key, byte[] data, String contentType) {
        return put(bucket, key, new ByteArrayInputStream(data), data.length, contentType);
    }

    /** Streams an object; {@code size} may be -1 when unknown (multipart upload). */
    public StoredObject put(Bucket bucket, String key, InputStream data, long size, String contentType) {
        S3Calls.run("put " + bucket.bucketName() + "/" + key, () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket.bucketName()).object(key)
                .stream(data, size, size < 0 ? MULTIPART_PART_SIZE : -1)
                .contentType(contentType)
                .build()));
        return stat(bucket, key).orElseThrow(() -> new StorageException(StorageException.Kind.TRANSIENT,
                "put " + bucket.bucketName() + "/" + key + " succeeded but the object is not visible", null));
    }

    /**
     * Writes the object unless one already exists under the key. With a key derived from the content's origin
     * (see {@link ObjectKeys}) a replay then writes nothing. Two racing writers write identical bytes, so the
     * race is harmless.
     */
    public PutResult putIfAbsent(Bucket bucket, String key, byte[] data, String contentType) {
        Optional<StoredObject> existing = stat(bucket, key);
        if (existing.isPresent()) {
            return new PutResult(existing.get(), false);
        }
        return new PutResult(put(bucket, key, data, contentType), true);
    }

    public Optional<StoredObject> stat(Bucket bucket, String key) {
        try {
            StatObjectResponse stat = S3Calls.read("stat " + bucket.bucketName() + "/" + key, reads,
                    () -> client.statObject(StatObjectArgs.builder().bucket(bucket.bucketName()).object(key).build()));
            return Optional.of(new StoredObject(bucket, key, stat.size(), ObjectKeys.stripQuotes(stat.etag()),
                    stat.contentType(), stat.lastModified().toInstant()));
        } catch (StorageException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public boolean exists(Bucket bucket, String key) {
        return stat(bucket, key).isPresent();
    }

    public byte[] get(Bucket bucket, String key) {
        return S3Calls.read("get " + bucket.bucketName() + "/" + key, reads, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder()
                    .bucket(bucket.bucketName()).object(key).build())) {
                return in.readAllBytes();
            }
        });
    }

    /**
     * The bytes of one version of an object, the one with {@code eTag} (quoted or bare), at most {@code maxBytes} and
     * one more (so a caller sees an object over its limit without reading it whole); empty when the object is gone or
     * holds other bytes now (overwritten since its stat or event).
     */
    public Optional<byte[]> getVersion(Bucket bucket, String key, String eTag, long maxBytes) {
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1);
        try {
            return Optional.of(S3Calls.read("get " + bucket.bucketName() + "/" + key, reads, () -> {
                try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket.bucketName()).object(key)
                        .matchETag(ObjectKeys.stripQuotes(eTag)).build())) {
                    return in.readNBytes(limit);
                }
            }));
        } catch (StorageException e) {
            if (e.isNotFound() || e.isPreconditionFailed()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Opens an object for streaming; the caller closes the stream. */
    public InputStream open(Bucket bucket, String key) {
        return S3Calls.read("get " + bucket.bucketName() + "/" + key, reads, () -> client.getObject(GetObjectArgs.builder()
                .bucket(bucket.bucketName()).object(key).build()));
    }

    /** Every object under the prefix (recursive), in key order. */
    public List<StoredObject> list(Bucket bucket, String prefix) {
        return S3Calls.read("list " + bucket.bucketName() + "/" + prefix, reads, () -> {
            List<StoredObject> objects = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket.bucketName()).prefix(prefix).recursive(true).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    objects.add(new StoredObject(bucket, item.objectName(), item.size(),
                            ObjectKeys.stripQuotes(item.etag()), null,
                            item.lastModified() == null ? null : item.lastModified().toInstant()));
                }
            }
            return objects;
        });
    }

    public void remove(Bucket bucket, String key) {
        S3Calls.run("remove " + bucket.bucketName() + "/" + key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket.bucketName()).object(key).build());
            return null;
        });
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the MinIO client failed", e);
        }
    }

    /** Outcome of {@link #putIfAbsent}: the stored object and whether this call wrote it. */
    public record PutResult(StoredObject object, boolean written) {
    }
}
