package io.oshigan.gateway.storage;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The objects under a prefix of a bucket, newest first (ties by key, so pages are stable), listed at most once per
 * {@code ttl}: one listing serves every caller of the pages for a few seconds.
 */
public final class NewestFirst {
    static final Comparator<StoredObject> ORDER = Comparator
            .comparing((StoredObject o) -> o.lastModified() == null ? Instant.EPOCH : o.lastModified()).reversed()
            .thenComparing(StoredObject::key);
    private final LoadingCache<Boolean, List<StoredObject>> listing;

    public NewestFirst(ObjectStore store, Bucket bucket, String prefix, Duration ttl) {
        this.listing = Caffeine.newBuilder().maximumSize(1).expireAfterWrite(ttl)
                .build(any -> store.list(bucket, prefix).stream().sorted(ORDER).toList());
    }

    public List<StoredObject> all() {
        return listing.get(Boolean.TRUE);
    }

    /** One page of {@link #all()}; empty past the end. */
    public static List<StoredObject> page(List<StoredObject> all, int page, int size) {
        int from = (int) Math.min((long) page * size, all.size());
        return all.subList(from, Math.min(from + size, all.size()));
    }
}
