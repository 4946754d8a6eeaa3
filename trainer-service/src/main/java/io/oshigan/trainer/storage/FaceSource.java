package io.oshigan.trainer.storage;

import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.trainer.domain.SyntheticFaces;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Face crops in the faces bucket. */
@ApplicationScoped
public class FaceSource {
    public static final String CROPS_PREFIX = "crops/";
    private static final long DEMO_SEED = 20261129;

    private final ObjectStore objects;

    FaceSource(ObjectStore objects) {
        this.objects = objects;
    }

    public List<String> cropKeys() {
        return objects.list(Bucket.FACES, CROPS_PREFIX).stream().map(StoredObject::key)
                .filter(k -> k.endsWith(".png")).sorted().toList();
    }

    /** The crops excluded from training (contracts' CropExclusion objects; their presence is the exclusion). */
    public java.util.Set<String> excludedCrops() {
        return objects.list(Bucket.FACES, io.oshigan.storage.ObjectKeys.EXCLUSIONS).stream()
                .map(o -> io.oshigan.storage.ObjectKeys.excludedCrop(o.key()))
                .flatMap(java.util.Optional::stream).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public byte[] fetch(String key) {
        return objects.get(Bucket.FACES, key);
    }

    /** Puts synthetic cartoon faces into the bucket (demo mode); existing ones are kept. Returns how many were written. */
    public int seedDemoFaces(int count) {
        int written = 0;
        for (int i = 0; i < count; i++) {
            String key = CROPS_PREFIX + "demo/" + String.format("%05d", i) + ".png";
            if (objects.putIfAbsent(Bucket.FACES, key, SyntheticFaces.png(SyntheticFaces.face(DEMO_SEED, i)), "image/png").written()) {
                written++;
            }
        }
        return written;
    }
}
