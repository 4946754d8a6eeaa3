package io.oshigan.crop.messaging;

import io.oshigan.contracts.DeadLetters;
import io.oshigan.contracts.Topic;
import io.oshigan.crop.ImageCorpus;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.testing.LocalStackProcess;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Real broker, real S3 server: an upload is announced and consumed; a malformed event is dead-lettered. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class UploadEventsFlowTest {

    @Inject
    ObjectStore store;

    @Test
    void aMalformedEventGoesToTheDeadLetterTopicWithItsReasonAndTheServiceKeepsGoing() throws Exception {
        byte[] garbage = "{\"Records\": [ not json".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topic.IMAGES_UPLOADED.topicName(), "raw/garbage", garbage)).get();
        }

        try (TopicReader dlq = new TopicReader(bootstrap(), Topic.IMAGES_UPLOADED.deadLetterTopicName())) {
            ConsumerRecord<String, byte[]> dead = dlq.awaitFirst(r -> "raw/garbage".equals(r.key()), Duration.ofSeconds(30));
            assertThat(dead.value()).isEqualTo(garbage);
            assertThat(header(dead, DeadLetters.REASON_HEADER))
                    .startsWith("images.uploaded: value is not valid JSON");
        }

        double before = croppedCount();
        store.put(Bucket.RAW, "flow/after-garbage.png", ImageCorpus.sprite("eileen-happy"), "image/png");
        await().atMost(Duration.ofSeconds(30)).until(() -> croppedCount() >= before + 1);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void anUnknownEventVersionIsDeadLetteredWithThePreciseReason() throws Exception {
        String json = "{\"EventName\":\"s3:ObjectCreated:Put\",\"Key\":\"raw/v9.png\",\"Records\":[{\"eventVersion\":\"9.0\","
                + "\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"raw\"},"
                + "\"object\":{\"key\":\"v9.png\",\"size\":3,\"eTag\":\"abc\"}}}]}";
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topic.IMAGES_UPLOADED.topicName(), "raw/v9.png",
                    json.getBytes(StandardCharsets.UTF_8))).get();
        }
        try (TopicReader dlq = new TopicReader(bootstrap(), Topic.IMAGES_UPLOADED.deadLetterTopicName())) {
            ConsumerRecord<String, byte[]> dead = dlq.awaitFirst(r -> "raw/v9.png".equals(r.key()), Duration.ofSeconds(30));
            assertThat(header(dead, DeadLetters.REASON_HEADER))
                    .isEqualTo("images.uploaded: Records[0].eventVersion is unsupported: '9.0' (supported: 2.x)");
        }
    }

    private static double croppedCount() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(l -> l.startsWith("oshigan_crop_images_total{") && l.contains("outcome=\"cropped\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        assertThat(header).as("header " + name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String bootstrap() {
        return LocalStackProcess.shared().bootstrapServers();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
                new StringSerializer(), new ByteArraySerializer());
    }
}
