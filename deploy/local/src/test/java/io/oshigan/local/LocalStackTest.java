package io.oshigan.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.messages.NotificationRecords;
import io.oshigan.contracts.CheckpointPublished;
import io.oshigan.contracts.FaceCropped;
import io.oshigan.contracts.S3EventNotification;
import io.oshigan.contracts.S3EventRecord;
import io.oshigan.contracts.Topic;
import io.oshigan.storage.Bucket;
import io.oshigan.testkit.TopicReader;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StorageException;
import io.oshigan.storage.StorageSettings;
import io.oshigan.storage.StoredObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local stack as the services see it: real Kafka, real S3 with signatures, MinIO-format events. */
class LocalStackTest {
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path dataDir;
    static LocalStack stack;
    static ObjectStore store;
    static TopicReader uploads;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(LocalStackConfig.defaults(dataDir));
        store = ObjectStore.connect(stack.storageSettings());
        uploads = new TopicReader(stack.bootstrapServers(), Topic.IMAGES_UPLOADED.topicName());
    }

    @AfterAll
    static void stop() throws Exception {
        uploads.close();
        store.close();
        stack.close();
    }

    @Test
    void aPutIntoRawPublishesExactlyOneMinioEvent() throws Exception {
        byte[] image = randomBytes(70_000);
        String key = "uploads/fan art 1.png";
        store.put(Bucket.RAW, key, image, "image/png");

        ConsumerRecord<String, byte[]> record = uploads.awaitFirst(r -> r.key().equals("raw/" + key), EVENT_TIMEOUT);
        S3EventNotification event = S3EventNotification.CODEC.decode(record.value());
        S3EventRecord entry = event.records().get(0);
        assertThat(event.eventName()).isEqualTo("s3:ObjectCreated:Put");
        assertThat(event.key()).isEqualTo("raw/" + key);
        assertThat(entry.eventSource()).isEqualTo("minio:s3");
        assertThat(entry.s3().bucket().name()).isEqualTo("raw");
        assertThat(entry.s3().object().key()).isEqualTo("uploads%2Ffan+art+1.png");
        assertThat(entry.s3().object().decodedKey()).isEqualTo(key);
        assertThat(entry.s3().object().size()).isEqualTo(image.length);
        assertThat(entry.s3().object().eTag()).isEqualTo(md5Hex(image));
        assertThat(entry.s3().object().contentType()).isEqualTo("image/png");
        NotificationRecords byMinio = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(record.value(), NotificationRecords.class);
        assertThat(byMinio.events().get(0).objectName()).isEqualTo("uploads%2Ffan+art+1.png");

        assertThat(uploads.allUntilEnd(r -> r.key().equals("raw/" + key))).hasSize(1);
    }

    @Test
    void aMultipartUploadPublishesOneEventAndNoneForItsStub() {
        byte[] big = randomBytes(20 * 1024 * 1024);
        String key = "uploads/big-screenshot.png";
        StoredObject stored = store.put(Bucket.RAW, key, new ByteArrayInputStream(big), -1, "image/png");
        assertThat(stored.size()).isEqualTo(big.length);

        ConsumerRecord<String, byte[]> record = uploads.awaitFirst(r -> r.key().equals("raw/" + key), EVENT_TIMEOUT);
        S3EventNotification event = S3EventNotification.CODEC.decode(record.value());
        assertThat(event.eventName()).isEqualTo("s3:ObjectCreated:CompleteMultipartUpload");
        assertThat(event.records().get(0).s3().object().size()).isEqualTo(big.length);

        List<ConsumerRecord<String, byte[]>> all = uploads.allUntilEnd(r -> true);
        assertThat(all).filteredOn(r -> r.key().equals("raw/" + key)).hasSize(1);
        assertThat(all).extracting(ConsumerRecord::key)
                .allMatch(k -> k.startsWith("raw/uploads/") || k.startsWith("raw/marker"),
                        "only real uploads are announced, never multipart stubs");
    }

    @Test
    void uploadsWithTheChecksumHeadersOfCurrentAwsClientsAreAccepted() throws Exception {
        StorageSettings settings = stack.storageSettings();
        byte[] image = randomBytes(1000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(image);
        String crc32 = java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        try (io.minio.MinioClient client = io.minio.MinioClient.builder().endpoint(settings.endpoint().toString())
                .credentials(settings.accessKey(), settings.secretKey()).region(settings.region()).build()) {
            client.putObject(io.minio.PutObjectArgs.builder().bucket("raw").object("uploads/aws-cli.png")
                    .stream(new ByteArrayInputStream(image), image.length, -1).contentType("image/png")
                    .extraHeaders(java.util.Map.of("x-amz-sdk-checksum-algorithm", "CRC32",
                            "x-amz-checksum-crc32", crc32))
                    .build());
        }
        assertThat(store.get(Bucket.RAW, "uploads/aws-cli.png")).isEqualTo(image);
        uploads.awaitFirst(r -> r.key().equals("raw/uploads/aws-cli.png"), EVENT_TIMEOUT);
    }

    @Test
    void otherBucketsPublishNothing() {
        store.put(Bucket.FACES, "crops/x/000.png", randomBytes(100), "image/png");
        store.put(Bucket.MODELS, "runs/r/grids/epoch-00001.png", randomBytes(100), "image/png");
        store.put(Bucket.RAW, "marker-other-buckets", randomBytes(10), "application/octet-stream");

        uploads.awaitFirst(r -> r.key().equals("raw/marker-other-buckets"), EVENT_TIMEOUT);
        assertThat(uploads.allUntilEnd(r -> !r.key().startsWith("raw/"))).isEmpty();
    }

    @Test
    void aWrongSecretIsRefusedAndAnnouncesNothing() {
        StorageSettings good = stack.storageSettings();
        StorageSettings forged = new StorageSettings(good.endpoint(), good.accessKey(), "not-the-secret", good.region());
        try (ObjectStore intruder = ObjectStore.connect(forged)) {
            assertThatThrownBy(() -> intruder.put(Bucket.RAW, "forged.png", randomBytes(10), "image/png"))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("SignatureDoesNotMatch")
                    .satisfies(e -> assertThat(((StorageException) e).kind())
                            .isEqualTo(StorageException.Kind.ACCESS_DENIED));
            assertThatThrownBy(() -> intruder.get(Bucket.FACES, "crops/x/000.png"))
                    .isInstanceOf(StorageException.class);
        }
        assertThat(store.exists(Bucket.RAW, "forged.png")).isFalse();
        assertThat(uploads.allUntilEnd(r -> r.key().equals("raw/forged.png"))).isEmpty();
    }

    @Test
    void objectStorePutGetListAndIdempotentWrites() {
        byte[] crop = "png bytes".getBytes(StandardCharsets.UTF_8);
        String sourceId = ObjectKeys.sourceId("raw", "a.png", "etag1");
        String key = ObjectKeys.crop(sourceId, 0);

        ObjectStore.PutResult first = store.putIfAbsent(Bucket.FACES, key, crop, "image/png");
        ObjectStore.PutResult replay = store.putIfAbsent(Bucket.FACES, key, "other".getBytes(), "image/png");

        assertThat(first.written()).isTrue();
        assertThat(replay.written()).isFalse();
        assertThat(store.get(Bucket.FACES, key)).isEqualTo(crop);
        assertThat(store.stat(Bucket.FACES, key)).get()
                .satisfies(o -> assertThat(o.contentType()).isEqualTo("image/png"))
                .satisfies(o -> assertThat(o.size()).isEqualTo(crop.length));
        store.put(Bucket.FACES, ObjectKeys.crop(sourceId, 1), crop, "image/png");
        assertThat(store.list(Bucket.FACES, "crops/" + sourceId + "/")).extracting(StoredObject::key)
                .containsExactly(ObjectKeys.crop(sourceId, 0), ObjectKeys.crop(sourceId, 1));

        store.remove(Bucket.FACES, key);
        assertThat(store.stat(Bucket.FACES, key)).isEmpty();
        assertThatThrownBy(() -> store.get(Bucket.FACES, key))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void ourContractsTravelThroughTheBrokerUnchanged() throws Exception {
        FaceCropped face = new FaceCropped(FaceCropped.SCHEMA_VERSION, "raw", "a b.png", "e1", 0,
                new FaceCropped.Box(1, 2, 40, 40), "crops/k/000.png", "0".repeat(64), Instant.parse("2026-11-29T00:00:00Z"));
        CheckpointPublished checkpoint = new CheckpointPublished(CheckpointPublished.SCHEMA_VERSION, "run-1", 3, 300,
                "runs/run-1/steps/0000000300/checkpoint.zip", "runs/run-1/steps/0000000300/generator.pb",
                "runs/run-1/grids/epoch-00003.png", new CheckpointPublished.Losses(0.5, 2.0), 2000, Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
             TopicReader faces = new TopicReader(stack.bootstrapServers(), Topic.FACES_CROPPED.topicName());
             TopicReader checkpoints = new TopicReader(stack.bootstrapServers(), Topic.CHECKPOINTS_PUBLISHED.topicName())) {
            producer.send(new ProducerRecord<>(Topic.FACES_CROPPED.topicName(), face.cropKey(),
                    FaceCropped.CODEC.encode(face))).get();
            producer.send(new ProducerRecord<>(Topic.CHECKPOINTS_PUBLISHED.topicName(), checkpoint.runId(),
                    CheckpointPublished.CODEC.encode(checkpoint))).get();

            assertThat(FaceCropped.CODEC.decode(faces.awaitFirst(r -> r.key().equals(face.cropKey()), EVENT_TIMEOUT).value()))
                    .isEqualTo(face);
            assertThat(CheckpointPublished.CODEC.decode(
                    checkpoints.awaitFirst(r -> r.key().equals("run-1"), EVENT_TIMEOUT).value())).isEqualTo(checkpoint);
        }
    }

    @Test
    void createsEveryBucketAndTopic() throws Exception {
        for (Bucket bucket : Bucket.values()) {
            assertThat(store.bucketExists(bucket)).as(bucket.bucketName()).isTrue();
        }
        try (var admin = stack.kafka().admin()) {
            var described = admin.describeTopics(List.of(Topic.IMAGES_UPLOADED.topicName(),
                    Topic.CHECKPOINTS_PUBLISHED.deadLetterTopicName())).allTopicNames().get();
            assertThat(described.get(Topic.IMAGES_UPLOADED.topicName()).partitions())
                    .hasSize(Topic.IMAGES_UPLOADED.partitions());
            assertThat(described).containsKey("checkpoints.published.dlq");
        }
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static String md5Hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
