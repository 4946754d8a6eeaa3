package io.oshigan.trainer.training;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.support.retry.TransientRetry;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.trainer.domain.ImageCache;
import io.oshigan.trainer.domain.SyntheticFaces;
import io.oshigan.trainer.storage.FaceSource;
import io.oshigan.trainer.storage.FlakyFaceSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data set a demo trains on, against the real S3 server: the trainer that writes the demo faces offers them from
 * memory, and must hold what a demo trainer started later (the faces there already) reads back from the bucket, face
 * for face and in the same order (a resumed run's epochs index the same faces), also when its first listing failed
 * and the load was tried again. A trainer not in demo mode leaves the demo faces out.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class StoredFacesTest {
    /** More than one admission chunk at start ({@link StoredFaces}: 256). */
    static final int FACES = 300;

    @Inject
    FaceSource faces;

    @Inject
    ObjectStore store;

    @Inject
    TransientRetry retry;

    @TempDir
    Path work;

    @BeforeEach
    @AfterEach
    void removeCrops() {   // the bucket is shared by every test class of this JVM: earlier ones leave crops in it
        store.list(Bucket.FACES, ObjectKeys.CROPS).stream().map(StoredObject::key)
                .forEach(key -> store.remove(Bucket.FACES, key));
    }

    @Test
    void demoFacesOfferedFromMemoryAreTheOnesReadBack() {
        // crops of real uploads before the demo's keys and after them, and three demo faces already there
        store.put(Bucket.FACES, ObjectKeys.CROPS + "aaa.png", SyntheticFaces.png(SyntheticFaces.blob(1, 1)), "image/png");
        store.put(Bucket.FACES, ObjectKeys.CROPS + "zzz.png", SyntheticFaces.png(SyntheticFaces.blob(1, 2)), "image/png");
        faces.seedDemoFaces(3);
        // the writer's first listing fails after its writes: the retried load still draws what it wrote
        FlakyFaceSource flaky = new FlakyFaceSource(store, 1);

        try (FaceDataset writer = load(flaky, FACES, "writer"); FaceDataset reader = load(faces, FACES, "reader")) {
            assertThat(flaky.fetches()).as("read back: the two uploads' crops and the three demo faces there before")
                    .isEqualTo(5);
            assertThat(writer.size()).isEqualTo(FACES + 2);
            assertThat(reader.size()).isEqualTo(FACES + 2);
            int[] all = IntStream.range(0, FACES + 2).toArray();
            assertThat(writer.batch(all)).as("face for face, in key order").isEqualTo(reader.batch(all));
        }
    }

    @Test
    void aTrainerOutsideDemoModeLeavesTheDemoFacesOut() {
        String before = ObjectKeys.CROPS + "aaa.png";
        String after = ObjectKeys.CROPS + "zzz.png";
        store.put(Bucket.FACES, before, SyntheticFaces.png(SyntheticFaces.blob(1, 1)), "image/png");
        store.put(Bucket.FACES, after, SyntheticFaces.png(SyntheticFaces.blob(1, 2)), "image/png");
        faces.seedDemoFaces(3);

        try (FaceDataset plain = load(faces, 0, "plain")) {
            assertThat(plain.size()).as("the uploads' crops, not the demo's").isEqualTo(2);
            assertThat(plain.knows(before) && plain.knows(after)).isTrue();
            assertThat(IntStream.range(0, 3).mapToObj(ObjectKeys::demoCrop).filter(plain::knows)).isEmpty();
        }
    }

    /**
     * The trainer's own disk failing while a crop waits (its spill file cannot be made) is a transient failure, waited
     * out by the consumer, not the crop's fault: it was dead-lettered as if the crop were bad.
     */
    @Test
    void aLocalDiskFailureWhileACropWaitsIsTransient() throws Exception {
        String key = ObjectKeys.CROPS + "aaa.png";
        store.put(Bucket.FACES, key, SyntheticFaces.png(SyntheticFaces.blob(1, 1)), "image/png");
        Path notADirectory = java.nio.file.Files.writeString(work.resolve("file"), "x");
        try (FaceDataset dataset = new FaceDataset(new ImageCache(0, notADirectory))) {
            StoredFaces stored = new StoredFaces(faces, dataset, 0, new SimpleMeterRegistry());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> stored.offer(key))
                    .isInstanceOf(io.oshigan.support.retry.TransientFailureException.class)
                    .hasMessageContaining("hold crop " + key + " on local disk failed");
            assertThat(dataset.knows(key)).isFalse();
        }
    }

    private FaceDataset load(FaceSource source, int demoFaces, String name) {
        FaceDataset dataset = new FaceDataset(new ImageCache(64L << 20, work.resolve(name)));
        new StoredFaces(source, dataset, demoFaces, new SimpleMeterRegistry()).loadAll(retry, () -> false);
        return dataset;
    }
}
