package io.oshigan.crop;

import io.oshigan.contracts.DeadLetters;
import io.oshigan.contracts.FaceCropped;
import io.oshigan.contracts.Topic;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** At-least-once delivery with an exactly-once effect: replays change nothing; an upload gone by then is reported. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class ReplayTest {
    @Inject
    ObjectStore store;

    @Inject
    CropStore crops;

    @Test
    void replayingEventsTwiceWritesNoSecondCropAndNoSecondRecord() throws Exception {
        String prefix = "replay-" + UUID.randomUUID() + "/";
        StoredObject face = store.put(Bucket.RAW, prefix + "eileen-happy.png", ImageCorpus.sprite("eileen-happy"), "image/png");
        StoredObject noFace = store.put(Bucket.RAW, prefix + "lucy-mad.png", ImageCorpus.sprite("lucy-mad"), "image/png");
        String cropKey = CropFlows.awaitManifest(crops, face).crops().get(0).cropKey();
        CropFlows.awaitManifest(crops, noFace);

        double skippedBefore = outcomeCount("already-processed");
        try (TopicReader uploads = new TopicReader(CropFlows.bootstrap(), Topic.IMAGES_UPLOADED.topicName());
             KafkaProducer<String, byte[]> producer = CropFlows.producer()) {
            for (StoredObject upload : new StoredObject[]{face, noFace}) {
                var original = uploads.awaitFirst(r -> r.key().equals("raw/" + upload.key()), CropFlows.TIMEOUT);
                for (int replay = 0; replay < 2; replay++) {
                    producer.send(new ProducerRecord<>(Topic.IMAGES_UPLOADED.topicName(), original.key(), original.value())).get();
                }
            }
        }
        await().atMost(CropFlows.TIMEOUT).until(() -> outcomeCount("already-processed") >= skippedBefore + 4);

        // all four replays are handled (counted), so a second announcement would be in the topic by now
        try (TopicReader faces = new TopicReader(CropFlows.bootstrap(), Topic.FACES_CROPPED.topicName())) {
            assertThat(faces.allUntilEnd(r -> FaceCropped.CODEC.decode(r.value()).sourceKey().startsWith(prefix)))
                    .extracting(r -> r.key()).containsExactly(cropKey);
        }
        assertThat(store.list(Bucket.FACES, "crops/" + CropFlows.sourceId(face) + "/")).hasSize(1);
        assertThat(store.list(Bucket.FACES, "crops/" + CropFlows.sourceId(noFace) + "/")).isEmpty();
    }

    @Test
    void anObjectDeletedBeforeItsEventIsProcessedIsDeadLetteredAsVanished() throws Exception {
        String key = "vanished-" + UUID.randomUUID() + ".png";
        StoredObject first = store.put(Bucket.RAW, key, ImageCorpus.sprite("eileen-happy"), "image/png");
        CropFlows.awaitManifest(crops, first);
        try (TopicReader uploads = new TopicReader(CropFlows.bootstrap(), Topic.IMAGES_UPLOADED.topicName());
             KafkaProducer<String, byte[]> producer = CropFlows.producer()) {
            var original = uploads.awaitFirst(r -> r.key().equals("raw/" + key), CropFlows.TIMEOUT);
            store.remove(Bucket.RAW, key);
            // the event of a second version that was deleted before its event was processed: no race with the
            // consumer to win, the object is gone before the record exists
            String eTag = ObjectKeys.stripQuotes(first.eTag());
            byte[] secondVersion = new String(original.value(), StandardCharsets.UTF_8)
                    .replace(eTag, "0123456789abcdef0123456789abcdef").getBytes(StandardCharsets.UTF_8);
            assertThat(secondVersion).isNotEqualTo(original.value());
            producer.send(new ProducerRecord<>(Topic.IMAGES_UPLOADED.topicName(), original.key(), secondVersion)).get();
        }
        try (TopicReader dlq = new TopicReader(CropFlows.bootstrap(), Topic.IMAGES_UPLOADED.deadLetterTopicName())) {
            var dead = dlq.awaitFirst(r -> r.key().equals("raw/" + key), CropFlows.TIMEOUT);
            assertThat(CropFlows.header(dead, DeadLetters.REASON_HEADER))
                    .isEqualTo("raw/" + key + ": vanished: the object no longer exists in bucket raw (deleted after its upload)");
        }
    }

    private static double outcomeCount(String outcome) {
        return given().get("/q/metrics").then().extract().asString().lines()
                .filter(l -> l.startsWith("oshigan_crop_images_total{") && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
