package io.oshigan.trainer.domain;

import io.oshigan.dcgan.translate.FacePixels;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>
 * A face is trained on once, whatever keys hold it: a crop whose pixels another crop already holds (the same picture
 * uploaded twice under two names at the same moment, or dropped into the bucket twice) does not join; it is counted
 * ({@link #duplicateCount}) and answers for its holder. Excluding either of them leaves the face out.
 */
public final class FaceDataset implements AutoCloseable {
    private final ImageCache cache;
    private final Set<String> keys = new HashSet<>();
    private final List<String> byIndex = new ArrayList<>();
    /** Waiting crops: key to index in {@link #waiting}. */
    private final Map<String, Integer> pending = new LinkedHashMap<>();
    private final ImageCache waiting;
    private Set<String> excluded = Set.of();
    /** Per digest of pixels: the crop holding them (admitted or waiting). */
    private final Map<PixelDigest, String> holders = new HashMap<>();
    /** Crops whose pixels another crop holds: key to the holder's key. */
    private final Map<String, String> duplicateOf = new HashMap<>();

    public FaceDataset(ImageCache cache) {
        this.cache = cache;
        this.waiting = cache.waitingRoom();
    }

    /**
     * Queues a decoded crop; returns whether it was. A key already known (a replay) is ignored, and so is a crop whose
     * pixels another crop holds: it is noted as that one's duplicate.
     */
    public boolean offer(String key, byte[] pixels) {
        PixelDigest digest = PixelDigest.of(pixels);
        synchronized (this) {
            if (knows(key)) {
                return false;
            }
            String holder = holders.get(digest);
            if (holder != null) {
                duplicateOf.put(key, holder);
                return false;
            }
            pending.put(key, waiting.add(pixels));
            holders.put(digest, key);
            return true;
        }
    }

    /** Whether {@code key} was offered: it is in the data set, waits to join, or is a duplicate of one that is. */
    public synchronized boolean knows(String key) {
        return keys.contains(key) || pending.containsKey(key) || duplicateOf.containsKey(key);
    }

    /** Crops left out because another crop holds their pixels. */
    public synchronized int duplicateCount() {
        return duplicateOf.size();
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

    /**
     * The crops to leave out from now on (the whole set: earlier exclusions not in it are brought back). A duplicate's
     * exclusion leaves out the crop that holds its pixels: the face is what is excluded.
     */
    public synchronized void exclude(Set<String> cropKeys) {
        excluded = Set.copyOf(cropKeys);
    }

    /** The holders of the excluded crops' pixels: each excluded key, a duplicate's replaced by its holder. */
    private Set<String> holdersExcluded() {
        if (duplicateOf.isEmpty()) {
            return excluded;
        }
        Set<String> out = new HashSet<>();
        for (String key : excluded) {
            out.add(duplicateOf.getOrDefault(key, key));
        }
        return out;
    }

    /** The indexes of the admitted images that are not excluded, ascending. */
    public synchronized int[] activeIndexes() {
        Set<String> out = holdersExcluded();
        int[] active = new int[byIndex.size()];
        int n = 0;
        for (int i = 0; i < byIndex.size(); i++) {
            if (!out.contains(byIndex.get(i))) {
                active[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(active, n);
    }

    /** The images that will take part in the next epoch: admitted and queued ones, less the excluded. */
    public synchronized int takingPart() {
        Set<String> out = holdersExcluded();
        int n = 0;
        for (String key : byIndex) {
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
        Set<String> out = holdersExcluded();
        int n = 0;
        for (String key : byIndex) {
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

    /** The first 128 bits of the pixels' SHA-256: two crops with the same digest hold the same face. */
    private record PixelDigest(long high, long low) {
        static PixelDigest of(byte[] pixels) {
            try {
                ByteBuffer sha = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(pixels));
                return new PixelDigest(sha.getLong(), sha.getLong());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
    }
}
