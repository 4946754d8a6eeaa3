package io.oshigan.gateway.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.oshigan.contracts.ContractViolationException;
import io.oshigan.contracts.CropManifest;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The crop-service's manifests, read through their contract. A manifest never changes once written, so each is read
 * once and kept, in a bounded cache: a bucket of a million uploads does not become a million entries in memory.
 */
@ApplicationScoped
public class Manifests {
    private static final int KEPT = 20_000;
    private final ObjectStore store;
    private final Cache<String, CropManifest> read = Caffeine.newBuilder().maximumSize(KEPT).build();
    /** Manifests not written yet: asked for again only after a few seconds, so a page of pending uploads is cheap. */
    private final Cache<String, Boolean> absent = Caffeine.newBuilder().maximumSize(KEPT)
            .expireAfterWrite(java.time.Duration.ofSeconds(3)).build();

    Manifests(ObjectStore store) {
        this.store = store;
    }

    /** The manifest of an upload to the raw bucket, if the crop-service has written one (and it is a valid one). */
    public Optional<CropManifest> ofUpload(String key, String eTag) {
        return byKey(ObjectKeys.cropManifest(ObjectKeys.sourceId(Bucket.RAW.bucketName(), key, eTag)));
    }

    /** The manifest stored under {@code key} in the faces bucket. */
    public Optional<CropManifest> byKey(String key) {
        CropManifest cached = read.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (absent.getIfPresent(key) != null) {
            return Optional.empty();
        }
        if (!store.exists(Bucket.FACES, key)) {
            absent.put(key, Boolean.TRUE); // not written yet: asked again later
            return Optional.empty();
        }
        try {
            CropManifest manifest = CropManifest.CODEC.decode(store.get(Bucket.FACES, key));
            read.put(key, manifest);
            return Optional.of(manifest);
        } catch (ContractViolationException e) {
            return Optional.empty();
        }
    }
}
