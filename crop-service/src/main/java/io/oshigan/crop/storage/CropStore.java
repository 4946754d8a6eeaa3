package io.oshigan.crop.storage;

import io.oshigan.contracts.CropManifest;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Crops and manifests in the faces bucket, under the keys of {@link ObjectKeys}. */
@ApplicationScoped
public class CropStore {
    static final String MANIFEST_PREFIX = "manifests/";

    private final ObjectStore objects;

    CropStore(ObjectStore objects) {
        this.objects = objects;
    }

    public boolean hasManifest(String sourceId) {
        return objects.exists(Bucket.FACES, ObjectKeys.cropManifest(sourceId));
    }

    public Optional<CropManifest> manifest(String sourceId) {
        String key = ObjectKeys.cropManifest(sourceId);
        if (!objects.exists(Bucket.FACES, key)) {
            return Optional.empty();
        }
        return Optional.of(CropManifest.CODEC.decode(objects.get(Bucket.FACES, key)));
    }

    /** @return true if this call stored the crop, false if it was there already (a replay) */
    public boolean putCrop(String cropKey, byte[] png) {
        return objects.putIfAbsent(Bucket.FACES, cropKey, png, "image/png").written();
    }

    public void putManifest(String sourceId, CropManifest manifest) {
        objects.put(Bucket.FACES, ObjectKeys.cropManifest(sourceId), CropManifest.CODEC.encode(manifest), "application/json");
    }

    /** Source ids that have a manifest: one listing instead of a lookup per upload. */
    public Set<String> processedSourceIds() {
        Set<String> ids = new HashSet<>();
        for (StoredObject object : objects.list(Bucket.FACES, MANIFEST_PREFIX)) {
            String name = object.key().substring(MANIFEST_PREFIX.length());
            if (name.endsWith(".json")) {
                ids.add(name.substring(0, name.length() - ".json".length()));
            }
        }
        return ids;
    }
}
