package io.oshigan.trainer.storage;

import io.oshigan.storage.Bucket;
import io.oshigan.storage.CropExclusions;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.trainer.domain.SyntheticFaces;
import io.oshigan.dcgan.translate.FacePixels;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/** Face crops in the faces bucket. */
@ApplicationScoped
public class FaceSource {
    static final long DEMO_SEED = 20261129;
    /** Demo faces written at once. */
    static final int DEMO_WRITERS = 4;

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

    /**
     * Puts synthetic cartoon faces into the bucket (demo mode); existing ones are kept. Returns the ones written, key
     * to index ({@link #demoPixels}: their pixels without reading them back). One listing says which are there; the
     * others are drawn and written {@link #DEMO_WRITERS} at a time: a write is a round trip to the store, mostly
     * waiting (one after another, 3000 took 24 s of the demo's first minute).
     */
    public Map<String, Integer> seedDemoFaces(int count) {
        Set<String> present = objects.list(Bucket.FACES, ObjectKeys.DEMO_CROPS).stream().map(StoredObject::key)
                .collect(Collectors.toSet());
        Map<String, Integer> missing = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String key = ObjectKeys.demoCrop(i);
            if (!present.contains(key)) {
                missing.put(key, i);
            }
        }
        List<Runnable> writes = missing.entrySet().stream().<Runnable>map(face -> () -> objects.put(Bucket.FACES,
                face.getKey(), SyntheticFaces.png(SyntheticFaces.face(DEMO_SEED, face.getValue())), "image/png"))
                .toList();
        ExecutorService writers = Executors.newFixedThreadPool(DEMO_WRITERS);
        try {
            // the first failure stops the rest at once (the caller retries a store that is away), not after every
            // other write has waited out its own timeouts
            CompletionService<Void> done = new ExecutorCompletionService<>(writers);
            writes.forEach(write -> done.submit(write, null));
            for (int i = 0; i < writes.size(); i++) {
                done.take().get();
            }
            return missing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the demo faces", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            writers.shutdownNow();
        }
    }

    /**
     * The pixels of demo face {@code index} as {@link #seedDemoFaces} wrote it (PNG is lossless: the same bytes as
     * reading it back, without the round trip and the decoding).
     */
    public static byte[] demoPixels(int index) {
        return FacePixels.fromImage(SyntheticFaces.face(DEMO_SEED, index));
    }
}
