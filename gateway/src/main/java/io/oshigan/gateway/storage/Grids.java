package io.oshigan.gateway.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.oshigan.imaging.GifAnimation;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StorageException;
import io.oshigan.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * A run's progress grids (one per epoch, written by the trainer to the models bucket), and all of them as one animated
 * GIF. The animation is bounded: at most {@link #MAX_FRAMES} grids, spread evenly from the first epoch to the last,
 * each checked for size before it is decoded, encoded one at a time, one animation at a time (another request
 * meanwhile: 503); the result is kept
 * (keyed by the grids' eTags, so a rewritten grid makes a new one) within {@link #KEPT_BYTES}.
 */
@ApplicationScoped
public class Grids {
    public static final int MAX_FRAMES = 24;
    static final int FRAME_MILLIS = 400;
    static final long KEPT_BYTES = 64L << 20;
    /** A grid of 64 faces is 786 x 786; anything larger was not written by the trainer (24 frames stay < 32 MiB). */
    static final int MAX_SIDE = 1024;
    static final long MAX_GRID_BYTES = 32L << 20;
    private static final Logger LOG = Logger.getLogger(Grids.class);
    private final ObjectStore store;
    private final Cache<List<String>, byte[]> animations = Caffeine.newBuilder().maximumWeight(KEPT_BYTES)
            .weigher((List<String> key, byte[] gif) -> gif.length).build();
    private final Semaphore building = new Semaphore(1);

    Grids(ObjectStore store) {
        this.store = store;
    }

    /** The run's grids by epoch, oldest first. */
    public List<Map.Entry<Integer, StoredObject>> of(String run) {
        return store.list(Bucket.MODELS, ObjectKeys.gridsPrefix(run)).stream()
                .flatMap(o -> ObjectKeys.gridEpochOf(run, o.key()).map(e -> Map.entry(e, o)).stream())
                .sorted(Map.Entry.comparingByKey()).toList();
    }

    /**
     * The grids' animation, or empty when the run has no readable grid (one that cannot be read is left out, and
     * logged); {@link BusyException} while another is being made.
     */
    public Optional<byte[]> animation(String run) {
        List<StoredObject> frames = spread(of(run).stream().map(Map.Entry::getValue).toList(), MAX_FRAMES);
        if (frames.isEmpty()) {
            return Optional.empty();
        }
        List<String> identity = frames.stream().map(o -> o.key() + "@" + o.eTag()).toList();
        byte[] kept = animations.getIfPresent(identity);
        byte[] gif = kept != null ? kept : build(identity, frames);
        return gif.length == 0 ? Optional.empty() : Optional.of(gif);
    }

    /** At most {@code max} of {@code all}, evenly spread, the first and the last always among them. */
    static <T> List<T> spread(List<T> all, int max) {
        if (all.size() <= max) {
            return all;
        }
        List<T> picked = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            picked.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (max - 1))));
        }
        return picked;
    }

    /** The animation, or no bytes when no grid could be read (kept too: the same grids give the same answer). */
    private byte[] build(List<String> identity, List<StoredObject> frames) {
        if (!building.tryAcquire()) { // each takes a second or two of CPU: one at a time, and no request thread waits
            throw new BusyException("another animation is being made; try again in a few seconds");
        }
        try {
            byte[] madeMeanwhile = animations.getIfPresent(identity); // by the request that held the permit
            if (madeMeanwhile != null) {
                return madeMeanwhile;
            }
            ByteArrayOutputStream gif = new ByteArrayOutputStream();
            int readable = 0;
            boolean complete = true;
            try (GifAnimation animation = new GifAnimation(gif, FRAME_MILLIS)) {
                for (StoredObject frame : frames) {
                    Optional<BufferedImage> image;
                    try {
                        image = decode(frame);
                    } catch (StorageException e) { // S3 away or busy (retried already): this answer goes without it
                        LOG.warnf("%s left out of the animation for now: %s", frame.key(), e.getMessage());
                        complete = false;
                        continue;
                    }
                    if (image.isPresent()) {
                        animation.add(image.get());
                        readable++;
                    }
                }
            }
            byte[] made = readable == 0 ? new byte[0] : gif.toByteArray();
            if (complete) { // one made while S3 failed is not kept: the next request tries those grids again
                animations.put(identity, made);
            }
            return made;
        } finally {
            building.release();
        }
    }

    private Optional<BufferedImage> decode(StoredObject grid) {
        if (grid.size() > MAX_GRID_BYTES) {
            LOG.warnf("%s left out of the animation: %d bytes, more than a grid may have", grid.key(), grid.size());
            return Optional.empty();
        }
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(store.get(Bucket.MODELS, grid.key())))) {
            reader.setInput(in);
            if (reader.getWidth(0) > MAX_SIDE || reader.getHeight(0) > MAX_SIDE) {
                LOG.warnf("%s left out of the animation: %dx%d, larger than a grid may be (%d a side)", grid.key(),
                        reader.getWidth(0), reader.getHeight(0), MAX_SIDE);
                return Optional.empty();
            }
            return Optional.of(reader.read(0));
        } catch (IOException | RuntimeException e) {
            if (e instanceof StorageException s && s.isRetryable()) {
                throw s; // S3 away: not the grid's fault
            }
            LOG.warnf("%s left out of the animation: not a readable PNG (%s)", grid.key(), e.getMessage());
            return Optional.empty();
        } finally {
            reader.dispose();
        }
    }

    /** Thrown while another animation is being made (one at a time: each takes a second or two of CPU). */
    public static final class BusyException extends RuntimeException {
        BusyException(String message) {
            super(message);
        }
    }
}
