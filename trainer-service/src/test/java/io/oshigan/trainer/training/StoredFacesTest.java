package io.oshigan.trainer.training;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.support.retry.TransientRetry;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.trainer.domain.ImageCache;
import io.oshigan.trainer.domain.SyntheticFaces;
import io.oshigan.trainer.storage.FaceSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data set a demo trains on, against the real S3 server: the trainer that writes the demo faces offers them from
 * memory, and must hold what a trainer started later reads back from the bucket, face for face and in the same order
 * (a resumed run's epochs index the same faces).
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class StoredFacesTest {
    static final int FACES = 40;

    @Inject
    FaceSource faces;

    @Inject
    ObjectStore store;

    @Inject
    TransientRetry retry;

    @TempDir
    Path work;

    @AfterEach
    void removeCrops() {   // the bucket is shared by every test class of this JVM
        store.list(Bucket.FACES, "crops/").stream().map(StoredObject::key).forEach(key -> store.remove(Bucket.FACES, key));
    }

    @Test
    void demoFacesOfferedFromMemoryAreTheOnesReadBack() {
        // a crop of a real upload between the demo's keys and after them, and three demo faces already there
        store.put(Bucket.FACES, "crops/aaa.png", SyntheticFaces.png(SyntheticFaces.blob(1, 1)), "image/png");
        store.put(Bucket.FACES, "crops/zzz.png", SyntheticFaces.png(SyntheticFaces.blob(1, 2)), "image/png");
        faces.seedDemoFaces(3);

        try (FaceDataset writer = load(FACES, "writer"); FaceDataset reader = load(0, "reader")) {
            assertThat(writer.size()).isEqualTo(FACES + 2);
            assertThat(reader.size()).isEqualTo(FACES + 2);
            int[] all = IntStream.range(0, FACES + 2).toArray();
            assertThat(writer.batch(all)).as("face for face, in key order").isEqualTo(reader.batch(all));
        }
    }

    private FaceDataset load(int demoFaces, String name) {
        FaceDataset dataset = new FaceDataset(new ImageCache(64L << 20, work.resolve(name)));
        new StoredFaces(faces, dataset, demoFaces, new SimpleMeterRegistry()).loadAll(retry, () -> false);
        return dataset;
    }
}
