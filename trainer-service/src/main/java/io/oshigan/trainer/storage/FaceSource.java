package io.oshigan.trainer.storage;

import io.oshigan.storage.Bucket;
import io.oshigan.storage.CropExclusions;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.trainer.domain.SyntheticFaces;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;

/** Face crops in the faces bucket. */
@ApplicationScoped
public class FaceSource {
    private static final long DEMO_SEED = 20261129;

    private final ObjectStore objects;

    FaceSource(ObjectStore objects) {
        this.objects = objects;
    }

    public List<String> cropKeys() {
        return objects.list(Bucket.FACES, ObjectKeys.CROPS).stream().map(StoredObject::key)
                .filter(k -> k.endsWith(".png")).sorted().toList();
    }

    /** The crops excluded from training (contracts' CropExclusion objects; their presence is the exclusion). */
    public Set<String> excludedCrops() {
        return CropExclusions.of(objects);
    }

    public byte[] fetch(String key) {
        return objects.get(Bucket.FACES, key);
    }

    /** Puts synthetic cartoon faces into the bucket (demo mode); existing ones are kept. Returns how many were written. */
    public int seedDemoFaces(int count) {
        int written = 0;
        for (int i = 0; i < count; i++) {
            String key = ObjectKeys.CROPS + "demo/" + String.format("%05d", i) + ".png";
            if (objects.putIfAbsent(Bucket.FACES, key, SyntheticFaces.png(SyntheticFaces.face(DEMO_SEED, i)), "image/png").written()) {
                written++;
            }
        }
        return written;
    }
}
