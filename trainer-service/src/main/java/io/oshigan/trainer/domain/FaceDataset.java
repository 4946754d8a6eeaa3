package io.oshigan.trainer.domain;

import io.oshigan.dcgan.translate.FacePixels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The training images. New crops wait in a queue and join at the next epoch boundary ({@link #admitPending}), so an
 * epoch always trains on a fixed set. An epoch takes its images in key order ({@link #activeIndexes}), whatever order
 * they joined in: a restarted trainer, which admits every stored crop at once, sees the same order as the one that met
 * them one by one. Waiting crops are held like the admitted ones, in memory up to a budget (a quarter of the cache's)
 * and on disk past it: a burst of uploads during a long epoch, or while training is paused, does not fill the heap.
 * Excluded crops ({@link #exclude}) keep their place and their pixels but are left out of the epochs that start after
 * it.
 * <p>
 * A face is trained on once, whatever keys hold it: a crop whose pixels another crop already holds (the same picture
 * uploaded twice under two names at the same moment, or dropped into the bucket twice) does not join; it is counted
 * ({@link #duplicateCount}) and answers for its holder, the first of them in key order ({@link FaceHolders}).
 * Excluding either of them leaves the face out.
 */
public final class FaceDataset implements AutoCloseable {
    private final ImageCache cache;
    /** Admitted crops in key order: key to its index in {@link #cache} (the order they joined in). */
    private final TreeMap<String, Integer> indexOf = new TreeMap<>();
    private final List<String> byIndex = new ArrayList<>();
    /** Waiting crops: key to index in {@link #waiting}. */
    private final Map<String, Integer> pending = new LinkedHashMap<>();
    private final ImageCache waiting;
    private final FaceHolders holders = new FaceHolders();
    private Set<String> excluded = Set.of();

    public FaceDataset(ImageCache cache) {
        this.cache = cache;
        this.waiting = cache.waitingRoom();
    }

    /**
     * Queues a decoded crop; returns whether it was. A key already known (a replay) is ignored, and so is a crop whose
     * pixels another crop holds: it is noted as a duplicate (if its key comes first, it holds the face from now on).
     */
    public synchronized boolean offer(String key, byte[] pixels) {
        if (knows(key)) {
            return false;
        }
        FaceHolders.Placed placed = holders.place(key, pixels);
        if (placed instanceof FaceHolders.Placed.TakesOver takesOver) {
            String previous = takesOver.previous();
            Integer index = indexOf.remove(previous);
            if (index != null) {
                indexOf.put(key, index);
                byIndex.set(index, key);
            } else {
                pending.put(key, pending.remove(previous));
            }
            return false;
        }
        if (placed instanceof FaceHolders.Placed.Duplicate) {
            return false;
        }
        try {
            pending.put(key, waiting.add(pixels));
        } catch (RuntimeException | Error e) {
            holders.forget(key, pixels); // not held after all: offered again, it is new again
            throw e;
        }
        return true;
    }

    /** Whether {@code key} was offered: it is in the data set, waits to join, or is a duplicate of one that is. */
    public synchronized boolean knows(String key) {
        return indexOf.containsKey(key) || pending.containsKey(key) || holders.isDuplicate(key);
    }

    /** Crops left out because another crop holds their pixels. */
    public synchronized int duplicateCount() {
        return holders.duplicates();
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
            indexOf.put(key, byIndex.size());
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

    /**
     * The crops to leave out from now on (the whole set: earlier exclusions not in it are brought back). A duplicate's
     * exclusion leaves out the crop that holds its pixels: the face is what is excluded.
     */
    public synchronized void exclude(Set<String> cropKeys) {
        excluded = Set.copyOf(cropKeys);
    }

    /** The indexes of the admitted images that are not excluded, in their keys' order. */
    public synchronized int[] activeIndexes() {
        Set<String> out = holders.holdersOf(excluded);
        int[] active = new int[indexOf.size()];
        int n = 0;
        for (Map.Entry<String, Integer> image : indexOf.entrySet()) {
            if (!out.contains(image.getKey())) {
                active[n++] = image.getValue();
            }
        }
        return java.util.Arrays.copyOf(active, n);
    }

    /** The keys of the images at {@code indexes}, in that order. */
    public synchronized List<String> keysOf(int[] indexes) {
        List<String> out = new ArrayList<>(indexes.length);
        for (int index : indexes) {
            out.add(byIndex.get(index));
        }
        return out;
    }

    /**
     * The indexes of the faces of {@code keys} (a duplicate's: its holder's), in that order, if every one of them is
     * admitted and not excluded; else empty.
     */
    public synchronized Optional<int[]> indexesOf(List<String> keys) {
        Set<String> out = holders.holdersOf(excluded);
        int[] indexes = new int[keys.size()];
        for (int i = 0; i < indexes.length; i++) {
            String holder = holders.holderOf(keys.get(i));
            Integer index = indexOf.get(holder);
            if (index == null || out.contains(holder)) {
                return Optional.empty();
            }
            indexes[i] = index;
        }
        return Optional.of(indexes);
    }

    /** The images that will take part in the next epoch: admitted and queued ones, less the excluded. */
    public synchronized int takingPart() {
        Set<String> out = holders.holdersOf(excluded);
        int n = 0;
        for (String key : indexOf.keySet()) {
            if (!out.contains(key)) {
                n++;
            }
        }
        for (String key : pending.keySet()) {
            if (!out.contains(key)) {
                n++;
            }
        }
        return n;
    }

    /** Admitted images that are excluded. */
    public synchronized int excludedCount() {
        Set<String> out = holders.holdersOf(excluded);
        int n = 0;
        for (String key : indexOf.keySet()) {
            if (out.contains(key)) {
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
