package io.oshigan.crop;

import io.oshigan.contracts.DeadLetters;
import io.oshigan.contracts.FaceCropped;
import io.oshigan.contracts.Topic;
import io.oshigan.crop.storage.CropStore;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.ChannelRegistry;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** At-least-once delivery with an exactly-once effect: replays change nothing; an upload gone by then is reported. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayTest {
    private static final String CHANNEL = "images-uploaded";

    @Inject
    ObjectStore store;

    @Inject
    CropStore crops;

    @Inject
    ChannelRegistry channels;

    @Test
    @Order(1)
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

        try (TopicReader faces = new TopicReader(CropFlows.bootstrap(), Topic.FACES_CROPPED.topicName())) {
            faces.awaitFirst(r -> r.key().equals(cropKey), CropFlows.TIMEOUT);
            assertThat(faces.allAfter(Duration.ofSeconds(2), r -> FaceCropped.CODEC.decode(r.value()).sourceKey()
                    .startsWith(prefix))).hasSize(1);
        }
        assertThat(store.list(Bucket.FACES, "crops/" + CropFlows.sourceId(face) + "/")).hasSize(1);
        assertThat(store.list(Bucket.FACES, "crops/" + CropFlows.sourceId(noFace) + "/")).isEmpty();
    }

    @Test
    @Order(3)
    void anObjectDeletedBeforeItsEventIsProcessedIsDeadLetteredAsVanished() throws Exception {
        String key = "vanished-" + UUID.randomUUID() + ".png";
        channels.getPausable(CHANNEL).pause();
        try {
            Thread.sleep(2000);
            store.put(Bucket.RAW, key, ImageCorpus.sprite("eileen-happy"), "image/png");
            store.remove(Bucket.RAW, key);
        } finally {
            channels.getPausable(CHANNEL).resume();
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
