package io.oshigan.crop;

import io.oshigan.contracts.Topic;
import io.oshigan.contracts.CropManifest;
import io.oshigan.crop.processing.ReconciliationScan;
import io.oshigan.crop.storage.CropStore;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bucket notification that never reaches the service (MinIO drops them around restarts): here the service listens
 * on a topic nobody writes to, so every upload's event is lost, and only the reconciliation scan can find it.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@TestProfile(LostEventTest.EventsLost.class)
class LostEventTest {

    public static class EventsLost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.incoming.images-uploaded.topic", "images.uploaded.nobody-writes-here");
        }
    }

    @Inject
    ObjectStore store;

    @Inject
    CropStore crops;

    @Inject
    ReconciliationScan scan;

    @Test
    void theReconciliationScanHealsALostEventExactlyOnce() throws Exception {
        String key = "lost-" + UUID.randomUUID() + "/lucy-happy.png";
        StoredObject upload = store.put(Bucket.RAW, key, ImageCorpus.sprite("lucy-happy"), "image/png");
        try (TopicReader uploads = new TopicReader(CropFlows.bootstrap(), Topic.IMAGES_UPLOADED.topicName())) {
            uploads.awaitFirst(r -> r.key().equals("raw/" + key), CropFlows.TIMEOUT); // published, to a topic not listened to
        }
        assertThat(crops.hasManifest(CropFlows.sourceId(upload))).as("nothing saw the event").isFalse();

        ReconciliationScan.Report report = scan.scan();

        assertThat(report.missing()).isGreaterThanOrEqualTo(1);
        assertThat(report.cropped()).isGreaterThanOrEqualTo(1);
        CropManifest manifest = crops.manifest(CropFlows.sourceId(upload)).orElseThrow();
        assertThat(manifest.status()).isEqualTo(CropManifest.Status.CROPPED);
        assertThat(ImageCorpus.near(manifest.crops().get(0).box(), ImageCorpus.SPRITES.get("lucy-happy"), 2)).isTrue();
        String cropKey = manifest.crops().get(0).cropKey();
        ReconciliationScan.Report again = scan.scan();
        assertThat(again.missing()).as("a second scan finds nothing left").isZero();
        // both scans are over and announce synchronously: whatever they sent is in the topic now
        try (TopicReader faces = new TopicReader(CropFlows.bootstrap(), Topic.FACES_CROPPED.topicName())) {
            assertThat(faces.allUntilEnd(r -> r.key().equals(cropKey))).as("announced exactly once").hasSize(1);
        }
    }
}
