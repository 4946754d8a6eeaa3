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
 * order, so an epoch always trains on a fixed set and the same crops always get the same indexes. Waiting crops are
 * held like the admitted ones, in memory up to a budget (a quarter of the cache's) and on disk past it: a burst of
 * uploads during a long epoch, or while training is paused, does not fill the heap. Excluded crops
 * ({@link #exclude}) keep their place and their pixels but are left out of the epochs that start after it.
 */
public final class FaceDataset implements AutoCloseable {
    private final ImageCache cache;
    private final Set<String> keys = new HashSet<>();
    private final List<String> byIndex = new ArrayList<>();
    /** Waiting crops: key to index in {@link #waiting}. */
    private final Map<String, Integer> pending = new LinkedHashMap<>();
    private final ImageCache waiting;
    private Set<String> excluded = Set.of();

    public FaceDataset(ImageCache cache) {
        this.cache = cache;
        this.waiting = cache.waitingRoom();
    }

    /** Queues a decoded crop; a key already known or queued is ignored (replays). */
    public synchronized boolean offer(String key, byte[] pixels) {
        if (keys.contains(key) || pending.containsKey(key)) {
            return false;
        }
        pending.put(key, waiting.add(pixels));
        return true;
    }

    public synchronized boolean knows(String key) {
        return keys.contains(key) || pending.containsKey(key);
    }

    /**
     * Moves the queued crops into the data set; returns how many joined. A crop leaves the queue as it joins: if the
     * cache fails part way (its disk full), those that joined stay joined and the rest wait for the next call.
     */
    public synchronized int admitPending() {
        List<String> joining = new ArrayList<>(pending.keySet());
        joining.sort(null);
        for (String key : joining) {
            cache.add(waiting.pixels(pending.get(key)));
            keys.add(key);
            byIndex.add(key);
            pending.remove(key);
        }
        waiting.clear();
        return joining.size();
    }

    /** Every admitted image, excluded ones too. */
    public synchronized int size() {
        return cache.size();
    }

    /** The crops to leave out from now on (the whole set: earlier exclusions not in it are brought back). */
    public synchronized void exclude(Set<String> cropKeys) {
        excluded = Set.copyOf(cropKeys);
    }

    /** The indexes of the admitted images that are not excluded, ascending. */
    public synchronized int[] activeIndexes() {
        int[] active = new int[byIndex.size()];
        int n = 0;
        for (int i = 0; i < byIndex.size(); i++) {
            if (!excluded.contains(byIndex.get(i))) {
                active[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(active, n);
    }

    /** The images that will take part in the next epoch: admitted and queued ones, less the excluded. */
    public synchronized int takingPart() {
        int n = 0;
        for (String key : byIndex) {
            if (!excluded.contains(key)) {
                n++;
            }
        }
        for (String key : pending.keySet()) {
            if (!excluded.contains(key)) {
                n++;
            }
        }
        return n;
    }

    /** Admitted images that are excluded. */
    public synchronized int excludedCount() {
        int n = 0;
        for (String key : byIndex) {
            if (excluded.contains(key)) {
                n++;
            }
        }
        return n;
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    /** Waiting crops held on disk: those past the waiting budget. */
    public synchronized int pendingSpilled() {
        return waiting.spilledCount();
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
        waiting.close();
    }
}
