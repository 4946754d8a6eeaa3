package io.oshigan.local;

import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local stack's S3 server lists as S3 does while objects come and go: every object there for the whole listing
 * is in it, and nothing that is not an object (ConsistentListingBlobStore: s3proxy's own storage silently cut
 * listings short at a file deleted or renamed during the walk, could show a put's temporary file, and showed a
 * multipart upload's parts as objects).
 */
class LocalStackListingTest {
    static final String PREFIX = "listing/";
    /** Kept and deleted objects interleave in key order, more than one listing page (1000) of both. */
    static final int PAIRS = 600;

    @TempDir
    static Path dataDir;
    static LocalStack stack;
    static ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(LocalStackConfig.defaults(dataDir));
        store = ObjectStore.connect(stack.storageSettings());
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        stack.close();
    }

    @Test
    @Timeout(120)
    void listingsWhileObjectsAreDeletedAndWrittenHoldEveryObjectThatStaysAndNothingElse() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CompletableFuture.allOf(IntStream.range(0, 4).mapToObj(t -> CompletableFuture.runAsync(() ->
                    IntStream.range(0, PAIRS).filter(i -> i % 4 == t).forEach(i -> {
                        put(key(i, "gone"));
                        put(key(i, "kept"));
                    }), threads)).toArray(CompletableFuture[]::new)).join();
            Set<String> kept = IntStream.range(0, PAIRS).mapToObj(i -> key(i, "kept")).collect(Collectors.toSet());

            // one thread deletes every other object, one writes new ones, while this one lists
            CompletableFuture<Void> deletes = CompletableFuture.runAsync(() ->
                    IntStream.range(0, PAIRS).forEach(i -> store.remove(Bucket.FACES, key(i, "gone"))), threads);
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() ->
                    IntStream.range(0, PAIRS / 2).forEach(i -> put(key(i, "new"))), threads);
            List<String> wrong = new ArrayList<>();
            int listings = 0;
            while (!(deletes.isDone() && writes.isDone())) {
                Set<String> listed = store.list(Bucket.FACES, PREFIX).stream().map(StoredObject::key)
                        .collect(Collectors.toSet());
                listings++;
                Set<String> missing = kept.stream().filter(k -> !listed.contains(k)).collect(Collectors.toSet());
                Set<String> strange = listed.stream().filter(k -> !k.matches("listing/\\d{4}-(gone|kept|new)"))
                        .collect(Collectors.toSet());
                if (!missing.isEmpty() || !strange.isEmpty()) {
                    wrong.add("listing " + listings + ": " + missing.size() + " kept objects missing, not objects: "
                            + strange.stream().limit(3).toList());
                }
            }
            deletes.join();
            writes.join();
            assertThat(listings).as("listings made while objects were deleted and written").isGreaterThanOrEqualTo(3);
            assertThat(wrong).as("listings that left out objects there all along, or showed what is not one").isEmpty();
            assertThat(store.list(Bucket.FACES, PREFIX)).as("afterwards").hasSize(PAIRS + PAIRS / 2);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @Timeout(120)
    void aWholeBucketListingDuringAMultipartUploadShowsTheObjectsAndNotTheUploadsParts() throws Exception {
        Set<String> kept = IntStream.range(0, 100).mapToObj("kept-%03d"::formatted).collect(Collectors.toSet());
        kept.forEach(key -> store.put(Bucket.MODELS, key, key.getBytes(StandardCharsets.UTF_8), "text/plain"));
        long size = 40L << 20;   // three parts of ObjectStore's 16 MB, each read slowly: listings run between them
        CompletableFuture<StoredObject> upload = CompletableFuture.supplyAsync(() ->
                store.put(Bucket.MODELS, "big.bin", new SlowZeros(size), -1, "application/octet-stream"));
        List<String> wrong = new ArrayList<>();
        int listings = 0;
        while (!upload.isDone()) {
            Set<String> listed = store.list(Bucket.MODELS, "").stream().map(StoredObject::key)
                    .collect(Collectors.toSet());
            listings++;
            Set<String> strange = listed.stream().filter(k -> !kept.contains(k) && !k.equals("big.bin"))
                    .collect(Collectors.toSet());
            if (!listed.containsAll(kept) || !strange.isEmpty()) {
                wrong.add("listing " + listings + ": " + listed.stream().filter(kept::contains).count()
                        + " of the 100 objects, not objects: " + strange.stream().limit(3).toList());
            }
        }
        assertThat(upload.join().size()).isEqualTo(size);
        assertThat(listings).as("listings made during the upload").isGreaterThanOrEqualTo(3);
        assertThat(wrong).as("listings that left out objects, or showed what is not one").isEmpty();
    }

    /** Zeros, a millisecond's pause every 256 KB. */
    private static final class SlowZeros extends InputStream {
        private long left;

        SlowZeros(long size) {
            left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : 0;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(length, left), 256 << 10);
            java.util.Arrays.fill(into, offset, offset + n, (byte) 0);
            left -= n;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return n;
        }
    }

    private static String key(int index, String kind) {
        return PREFIX + "%04d-%s".formatted(index, kind);
    }

    private static void put(String key) {
        store.put(Bucket.FACES, key, key.getBytes(StandardCharsets.UTF_8), "text/plain");
    }
}
