package io.oshigan.trainer.domain;

import io.oshigan.dcgan.translate.FacePixels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The training images. New crops wait in a queue and join at the next epoch boundary ({@link #admitPending}), in key
 * order, so an epoch always trains on a fixed set and the same crops always get the same indexes.
 */
public final class FaceDataset implements AutoCloseable {
    private final ImageCache cache;
    private final Set<String> keys = new HashSet<>();
    private final Map<String, byte[]> pending = new LinkedHashMap<>();

    public FaceDataset(ImageCache cache) {
        this.cache = cache;
    }

    /** Queues a decoded crop; a key already known or queued is ignored (replays). */
    public synchronized boolean offer(String key, byte[] pixels) {
        if (keys.contains(key) || pending.containsKey(key)) {
            return false;
        }
        pending.put(key, pixels);
        return true;
    }

    public synchronized boolean knows(String key) {
        return keys.contains(key) || pending.containsKey(key);
    }

    /** Moves the queued crops into the data set; returns how many joined. */
    public synchronized int admitPending() {
        List<String> joining = new ArrayList<>(pending.keySet());
        joining.sort(null);
        for (String key : joining) {
            cache.add(pending.get(key));
            keys.add(key);
        }
        pending.clear();
        return joining.size();
    }

    public synchronized int size() {
        return cache.size();
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    /** Fills a batch [n,96,96,3] from the given image indexes. */
    public float[] batch(int[] indexes) {
        float[] out = new float[indexes.length * FacePixels.VALUES];
        for (int i = 0; i < indexes.length; i++) {
            cache.copyTo(indexes[i], out, i * FacePixels.VALUES);
        }
        return out;
    }

    @Override
    public void close() {
        cache.close();
    }
}
