package io.oshigan.storage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads of one version of an object, against a real S3 server through the MinIO client. */
class ObjectStoreTest {
    private static S3Server server;
    private static ObjectStore store;

    @BeforeAll
    static void startServer(@TempDir Path data) throws Exception {
        server = new S3Server(data);
        store = server.store();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    /**
     * An object overwritten between its stat and its read: the read of the stat's version finds nothing, not the new
     * bytes under the old version's name (which cropped the new version twice and the old one never).
     */
    @Test
    void aVersionReadsOnlyWhileItIsTheObjectsBytes() {
        String key = "uploads/" + UUID.randomUUID() + ".png";
        String first = store.put(Bucket.RAW, key, new byte[]{1, 2, 3}, "image/png").eTag();
        assertThat(store.getVersion(Bucket.RAW, key, first, 100)).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
        String second = store.put(Bucket.RAW, key, new byte[]{4, 5, 6, 7}, "image/png").eTag();
        assertThat(store.getVersion(Bucket.RAW, key, first, 100)).as("overwritten since").isEmpty();
        assertThat(store.getVersion(Bucket.RAW, key, second, 100)).hasValueSatisfying(b -> assertThat(b).containsExactly(4, 5, 6, 7));
        store.remove(Bucket.RAW, key);
        assertThat(store.getVersion(Bucket.RAW, key, second, 100)).as("deleted since").isEmpty();
    }

    /** Bytes beyond the limit are never read into the heap: the caller sees the object is over its limit. */
    @Test
    void aVersionIsReadUpToItsLimit() {
        String key = "uploads/" + UUID.randomUUID() + ".png";
        String eTag = store.put(Bucket.RAW, key, new byte[1000], "image/png").eTag();
        assertThat(store.getVersion(Bucket.RAW, key, eTag, 10)).hasValueSatisfying(b -> assertThat(b).hasSize(11));
        assertThat(store.getVersion(Bucket.RAW, key, "\"" + eTag + "\"", 1000)).hasValueSatisfying(b -> assertThat(b).hasSize(1000));
    }
}
