package io.oshigan.trainer.storage;

import io.oshigan.dcgan.translate.FacePixels;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.trainer.domain.SyntheticFaces;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's synthetic faces, written several at once into the real S3 server: each index once, the ones already
 * there left as they are (a restarted demo writes only what is missing).
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class DemoFacesTest {
    static final int FACES = 3 * FaceSource.DEMO_WRITERS + 1;   // not a whole number of rounds of the writers

    @Inject
    FaceSource faces;

    @Inject
    ObjectStore store;

    @AfterEach
    void removeDemoFaces() {   // the bucket is shared by every test class of this JVM
        demoFaces().keySet().forEach(key -> store.remove(Bucket.FACES, key));
    }

    @Test
    void writesEachMissingFaceOnceAndKeepsTheOthers() throws Exception {
        assertThat(faces.seedDemoFaces(FACES)).as("written, key to index")
                .isEqualTo(indexes(IntStream.range(0, FACES)));
        Map<String, StoredObject> first = demoFaces();
        assertThat(first.keySet()).containsExactlyElementsOf(
                IntStream.range(0, FACES).mapToObj(ObjectKeys::demoCrop).toList());
        for (String key : List.of(ObjectKeys.demoCrop(0), ObjectKeys.demoCrop(FACES - 1))) {
            BufferedImage face = ImageIO.read(new ByteArrayInputStream(store.get(Bucket.FACES, key)));
            assertThat(face.getWidth()).as(key).isEqualTo(96);
            assertThat(face.getHeight()).as(key).isEqualTo(96);
        }
        // each key holds its own index's face (a single-part upload's ETag is the MD5 of its bytes)
        for (int i = 0; i < FACES; i++) {
            assertThat(first.get(ObjectKeys.demoCrop(i)).eTag()).as("face %d", i).isEqualTo(md5(i));
        }
        assertThat(first.values().stream().map(StoredObject::eTag).distinct()).as("each face its own").hasSize(FACES);

        // two gone (a bucket cleaned by hand), and five more asked for: only those seven are written; a second
        // later, so that a face written again would show in its time (S3 keeps whole seconds)
        Thread.sleep(1100);
        store.remove(Bucket.FACES, ObjectKeys.demoCrop(1));
        store.remove(Bucket.FACES, ObjectKeys.demoCrop(FACES - 2));
        assertThat(faces.seedDemoFaces(FACES + 5)).isEqualTo(indexes(IntStream.concat(IntStream.of(1, FACES - 2),
                IntStream.range(FACES, FACES + 5))));
        Map<String, StoredObject> second = demoFaces();
        assertThat(second).hasSize(FACES + 5);
        first.forEach((key, before) -> {
            if (!key.equals(ObjectKeys.demoCrop(1)) && !key.equals(ObjectKeys.demoCrop(FACES - 2))) {
                assertThat(second.get(key).lastModified()).as("%s kept", key).isEqualTo(before.lastModified());
            }
        });
        // the rewritten ones are the same faces again
        assertThat(second.get(ObjectKeys.demoCrop(1)).eTag()).isEqualTo(md5(1));
        assertThat(second.get(ObjectKeys.demoCrop(FACES + 4)).eTag()).isEqualTo(md5(FACES + 4));

        assertThat(faces.seedDemoFaces(FACES + 5)).as("all there").isEmpty();
    }

    @Test
    void theDrawnPixelsAreTheStoredOnes() {   // the trainer offers the faces it wrote without reading them back
        faces.seedDemoFaces(FACES);
        for (int i = 0; i < FACES; i++) {
            assertThat(FaceSource.demoPixels(i)).as("face %d", i)
                    .isEqualTo(FacePixels.fromImageBytes(store.get(Bucket.FACES, ObjectKeys.demoCrop(i))));
        }
        assertThat(FaceSource.demoPixels(0)).isNotEqualTo(FaceSource.demoPixels(1));
    }

    private static Map<String, Integer> indexes(IntStream indexes) {
        return indexes.boxed().collect(Collectors.toMap(ObjectKeys::demoCrop, i -> i));
    }

    private static String md5(int index) throws Exception {
        byte[] png = SyntheticFaces.png(SyntheticFaces.face(FaceSource.DEMO_SEED, index));
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(png));
    }

    private Map<String, StoredObject> demoFaces() {
        return store.list(Bucket.FACES, ObjectKeys.DEMO_CROPS).stream()
                .collect(Collectors.toMap(StoredObject::key, o -> o, (a, b) -> a, java.util.TreeMap::new));
    }
}
