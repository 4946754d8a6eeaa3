package io.oshigan.crop;

import io.oshigan.contracts.FaceCropped;
import io.oshigan.contracts.Topic;
import io.oshigan.crop.domain.Box;
import io.oshigan.contracts.CropManifest;
import io.oshigan.crop.storage.CropStore;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The acceptance sprites, end to end: upload to raw, MinIO-format event, crop-service, faces bucket, faces.cropped. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class CropFlowTest {

    @Inject
    ObjectStore store;

    @Inject
    CropStore crops;

    @Test
    void everySpriteIsCroppedAsTheReferenceCropsIt() {
        String prefix = "sprites-" + UUID.randomUUID() + "/";
        try (TopicReader faces = new TopicReader(CropFlows.bootstrap(), Topic.FACES_CROPPED.topicName())) {
            for (Map.Entry<String, Box> sprite : ImageCorpus.SPRITES.entrySet()) {
                StoredObject upload = store.put(Bucket.RAW, prefix + sprite.getKey() + ".png",
                        ImageCorpus.sprite(sprite.getKey()), "image/png");
                CropManifest manifest = CropFlows.awaitManifest(crops, upload);
                assertThat(manifest.sourceKey()).isEqualTo(upload.key());
                assertThat(manifest.sourceETag()).isEqualTo(upload.eTag());

                Box expected = sprite.getValue();
                if (expected == null) {
                    assertThat(manifest.status()).isEqualTo(CropManifest.Status.NO_FACE);
                    assertThat(manifest.crops()).isEmpty();
                    continue;
                }
                assertThat(manifest.status()).isEqualTo(CropManifest.Status.CROPPED);
                assertThat(manifest.crops()).hasSize(1);
                CropManifest.Entry entry = manifest.crops().get(0);
                assertThat(ImageCorpus.near(entry.box(), expected, 2)).as("%s: %s near %s", sprite.getKey(),
                        entry.box(), expected).isTrue();
                assertThat(entry.cropKey()).isEqualTo(ObjectKeys.crop(CropFlows.sourceId(upload), 0));

                StoredObject stored = store.stat(Bucket.FACES, entry.cropKey()).orElseThrow();
                assertThat(stored.contentType()).isEqualTo("image/png");
                byte[] png = store.get(Bucket.FACES, entry.cropKey());
                assertThat(ObjectKeys.sha256Hex(png)).isEqualTo(entry.sha256());
                Mat crop = Imgcodecs.imdecode(new MatOfByte(png), Imgcodecs.IMREAD_UNCHANGED);
                assertThat(crop.width()).isEqualTo(96);
                assertThat(crop.height()).isEqualTo(96);

                FaceCropped event = FaceCropped.CODEC.decode(
                        faces.awaitFirst(r -> r.key().equals(entry.cropKey()), CropFlows.TIMEOUT).value());
                assertThat(event.sourceBucket()).isEqualTo("raw");
                assertThat(event.sourceKey()).isEqualTo(upload.key());
                assertThat(event.sourceETag()).isEqualTo(upload.eTag());
                assertThat(event.faceIndex()).isZero();
                assertThat(event.cropSha256()).isEqualTo(entry.sha256());
                assertThat(event.box()).isEqualTo(entry.box());
            }
        }
    }
}
