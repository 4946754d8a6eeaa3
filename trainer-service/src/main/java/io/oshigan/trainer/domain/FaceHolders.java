package io.oshigan.trainer.domain;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which crop holds each face: of the crops with the same pixels, the first key in key order, whatever order they came
 * in (a running trainer meets them as they are announced, a restarted one in key order: both pick the same holder, so
 * the data set's order is the same). The other crops of a face are its duplicates and answer for their holder.
 */
final class FaceHolders {
    /** Per digest of pixels: the crop holding them. */
    private final Map<PixelDigest, String> holders = new HashMap<>();
    /** Crops whose pixels another crop holds: key to those pixels' digest (its holder: {@link #holders} of it). */
    private final Map<String, PixelDigest> duplicates = new HashMap<>();

    /** What offering a crop came to. */
    sealed interface Placed {
        /** Its face is new: it holds it. */
        record Holds() implements Placed {
        }

        /** Another crop holds its face. */
        record Duplicate() implements Placed {
        }

        /** It holds its face from now on, in place of {@code previous} (a later key), now its duplicate. */
        record TakesOver(String previous) implements Placed {
        }
    }

    Placed place(String key, byte[] pixels) {
        PixelDigest digest = PixelDigest.of(pixels);
        String holder = holders.get(digest);
        if (holder == null) {
            holders.put(digest, key);
            return new Placed.Holds();
        }
        if (holder.compareTo(key) <= 0) {
            duplicates.put(key, digest);
            return new Placed.Duplicate();
        }
        holders.put(digest, key); // the other duplicates of these pixels follow: they name the digest, not the holder
        duplicates.put(holder, digest);
        return new Placed.TakesOver(holder);
    }

    /** Undoes {@link #place} of a face that turned out new ({@link Placed.Holds}) when it could not be held. */
    void forget(String key, byte[] pixels) {
        holders.remove(PixelDigest.of(pixels), key);
    }

    boolean isDuplicate(String key) {
        return duplicates.containsKey(key);
    }

    int duplicates() {
        return duplicates.size();
    }

    /** The crop holding {@code key}'s face: itself unless it is a duplicate. */
    String holderOf(String key) {
        PixelDigest digest = duplicates.get(key);
        return digest == null ? key : holders.get(digest);
    }

    /** The holders of the faces of {@code keys}. */
    Set<String> holdersOf(Set<String> keys) {
        if (duplicates.isEmpty()) {
            return keys;
        }
        Set<String> out = new HashSet<>();
        for (String key : keys) {
            out.add(holderOf(key));
        }
        return out;
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
