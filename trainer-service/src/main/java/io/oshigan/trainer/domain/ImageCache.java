package io.oshigan.trainer.domain;

import io.oshigan.dcgan.translate.FacePixels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoded training images, each {@link FacePixels#VALUES} 8-bit values, addressed by index. The first ones stay in
 * memory up to a byte budget; the rest spill to a file on local disk, read back when a batch needs them.
 */
public final class ImageCache implements AutoCloseable {
    public static final int IMAGE_BYTES = FacePixels.VALUES;
    /** The heap left to everything but the decoded faces (batches, Kafka, the service): deploy/k8s sizes by it too. */
    public static final long HEAP_RESERVE_BYTES = 512L << 20;
    /** The waiting room holds in memory this share of its cache's budget: a quarter. */
    public static final int WAITING_ROOM_SHARE = 4;

    private final long memoryBudgetBytes;
    private final Path spillDirectory;
    private final List<byte[]> inMemory = new ArrayList<>();
    private FileChannel spill;
    private long spilled;

    public ImageCache(long memoryBudgetBytes, Path spillDirectory) {
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.spillDirectory = spillDirectory;
    }

    /**
     * The memory budget to use in a heap of {@code maxHeapBytes}: {@code configuredBytes}, cut so that it and its
     * waiting room (a quarter more) leave {@link #HEAP_RESERVE_BYTES}: a cache set larger than its process's heap
     * spills to disk instead of running out of memory.
     */
    public static long budgetWithin(long configuredBytes, long maxHeapBytes) {
        return Math.max(0, Math.min(configuredBytes,
                (maxHeapBytes - HEAP_RESERVE_BYTES) / (WAITING_ROOM_SHARE + 1) * WAITING_ROOM_SHARE));
    }

    public synchronized int add(byte[] pixels) {
        if (pixels.length != FacePixels.VALUES) {
            throw new IllegalArgumentException("an image has " + FacePixels.VALUES + " values, not " + pixels.length);
        }
        if ((long) (inMemory.size() + 1) * IMAGE_BYTES <= memoryBudgetBytes && spilled == 0) {
            inMemory.add(pixels);
        } else {
            writeToDisk(pixels);
        }
        return size() - 1;
    }

    public synchronized int size() {
        return inMemory.size() + (int) spilled;
    }

    public synchronized int spilledCount() {
        return (int) spilled;
    }

    /**
     * A cache for images waiting to join this one: a quarter of its memory budget, the rest spilled to a file of its
     * own in the same directory.
     */
    public ImageCache waitingRoom() {
        return new ImageCache(memoryBudgetBytes / WAITING_ROOM_SHARE, spillDirectory);
    }

    /** Copies image {@code index}, mapped to [-1, 1], into {@code target} at {@code offset}. */
    public synchronized void copyTo(int index, float[] target, int offset) {
        FacePixels.toUnit(pixels(index), target, offset);
    }

    /** Image {@code index}'s 8-bit values: the array held in memory, or read from the spill file. */
    public synchronized byte[] pixels(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("image " + index + " of " + size());
        }
        if (index < inMemory.size()) {
            return inMemory.get(index);
        }
        ByteBuffer buffer = ByteBuffer.allocate(IMAGE_BYTES);
        try {
            long position = (long) (index - inMemory.size()) * IMAGE_BYTES;
            while (buffer.hasRemaining()) {
                if (spill.read(buffer, position + buffer.position()) < 0) {
                    throw new IOException("spill file ends early");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading image " + index + " from the spill file failed", e);
        }
        return buffer.array();
    }

    /** Empties it: the images in memory are let go, the spill file starts over. */
    public synchronized void clear() {
        inMemory.clear();
        spilled = 0;
        try {
            if (spill != null) {
                spill.truncate(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("emptying the spill file in " + spillDirectory + " failed", e);
        }
    }

    private void writeToDisk(byte[] pixels) {
        try {
            if (spill == null) {
                Files.createDirectories(spillDirectory);
                Path file = Files.createTempFile(spillDirectory, "faces", ".rgb");
                spill = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.DELETE_ON_CLOSE);
            }
            ByteBuffer buffer = ByteBuffer.wrap(pixels);
            long position = spilled * IMAGE_BYTES;
            while (buffer.hasRemaining()) {
                position += spill.write(buffer, position);
            }
            spilled++;
        } catch (IOException e) {
            throw new UncheckedIOException("spilling an image to " + spillDirectory + " failed", e);
        }
    }

    @Override
    public synchronized void close() {
        inMemory.clear();
        try {
            if (spill != null) {
                spill.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
