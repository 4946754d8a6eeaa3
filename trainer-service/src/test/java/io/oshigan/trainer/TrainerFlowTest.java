package io.oshigan.trainer;

import io.oshigan.contracts.CheckpointLayout;
import io.oshigan.contracts.CheckpointPublished;
import io.oshigan.contracts.DeadLetters;
import io.oshigan.contracts.FaceCropped;
import io.oshigan.contracts.Topic;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.testing.LocalStackProcess;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.testkit.TopicReader;
import io.oshigan.trainer.domain.SyntheticFaces;
import io.oshigan.storage.CheckpointStore;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Faces announced on faces.cropped -> training starts by itself -> grids, checkpoints, checkpoints.published. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class TrainerFlowTest {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Faces this class has announced so far: the data set can hold no more. */
    static final java.util.concurrent.atomic.AtomicInteger ANNOUNCED = new java.util.concurrent.atomic.AtomicInteger();

    @Inject
    ObjectStore store;

    @Inject
    CheckpointStore models;

    @Test
    void announcedFacesAreTrainedOnAndCheckpointsArePublished() throws Exception {
        try (TopicReader published = new TopicReader(bootstrap(), Topic.CHECKPOINTS_PUBLISHED.topicName())) {
            announceFaces(store, 40);

            ConsumerRecord<String, byte[]> first = published.awaitFirst(r -> true, TIMEOUT);
            CheckpointPublished checkpoint1 = CheckpointPublished.CODEC.decode(first.value());
            ConsumerRecord<String, byte[]> second = published.awaitFirst(r -> r.offset() > first.offset(), TIMEOUT);
            CheckpointPublished checkpoint2 = CheckpointPublished.CODEC.decode(second.value());

            for (CheckpointPublished c : List.of(checkpoint1, checkpoint2)) {
                assertThat(c.runId()).isEqualTo("run-1");
                // training starts as soon as one batch (8) has arrived; later crops join at epoch boundaries
                assertThat(c.datasetSize()).isBetween(8L, (long) ANNOUNCED.get());
                assertThat(store.exists(Bucket.MODELS, c.checkpointKey() + CheckpointLayout.MANIFEST)).as(c.checkpointKey()).isTrue();
                assertThat(store.exists(Bucket.MODELS, c.checkpointKey() + "checkpoint/model.index")).isTrue();
                assertThat(store.exists(Bucket.MODELS, c.generatorKey() + "saved_model.pb")).as(c.generatorKey()).isTrue();
                assertThat(c.gridKey()).isNotNull();
                assertThat(store.stat(Bucket.MODELS, c.gridKey()).orElseThrow().contentType()).isEqualTo("image/png");
                assertThat(Double.isFinite(c.losses().discriminator())).isTrue();
            }
            assertThat(checkpoint2.step()).isGreaterThan(checkpoint1.step());
            assertThat(checkpoint2.datasetSize()).isGreaterThanOrEqualTo(checkpoint1.datasetSize());
            assertThat(models.latestCheckpoint("run-1")).isPresent();
        }
        given().get("/api/v1/trainer/status").then().statusCode(200)
                .body("runId", equalTo("run-1")).body("device", equalTo("CPU:0")); // device=auto, no GPU here
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("oshigan_trainer_gpu 0.0"));
        given().get("/api/v1/trainer/losses").then().statusCode(200);
    }

    @Test
    void aFaceEventForACropThatIsNotThereIsDeadLettered() throws Exception {
        String key = "crops/missing-" + UUID.randomUUID() + "/000.png";
        FaceCropped event = new FaceCropped(FaceCropped.SCHEMA_VERSION, "raw", "x.png", "e", 0,
                new FaceCropped.Box(0, 0, 96, 96), key, "0".repeat(64), Instant.now());
        try (KafkaProducer<String, byte[]> producer = producer();
             TopicReader dlq = new TopicReader(bootstrap(), Topic.FACES_CROPPED.deadLetterTopicName())) {
            producer.send(new ProducerRecord<>(Topic.FACES_CROPPED.topicName(), key, FaceCropped.CODEC.encode(event))).get();
            producer.send(new ProducerRecord<>(Topic.FACES_CROPPED.topicName(), "garbage", "{".getBytes(StandardCharsets.UTF_8))).get();
            ConsumerRecord<String, byte[]> missing = dlq.awaitFirst(r -> key.equals(r.key()), TIMEOUT);
            assertThat(new String(missing.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8))
                    .contains("NoSuchKey");
            ConsumerRecord<String, byte[]> garbage = dlq.awaitFirst(r -> "garbage".equals(r.key()), TIMEOUT);
            assertThat(new String(garbage.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8))
                    .startsWith("faces.cropped: value is not valid JSON");
        }
    }

    @Test
    void pauseAndResumeAreTakenUpBetweenBatches() throws Exception {
        // its own data, so that the trainer is training (not waiting for data) whichever test ran before
        announceFaces(store, 16);
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> step() > 0 && !"WAITING_FOR_DATA".equals(state()));
        given().post("/api/v1/trainer/pause").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> "PAUSED".equals(state()));
        long paused = step();
        // paused means no step at all: a batch in flight when pause came has ended before the state says PAUSED
        org.awaitility.Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> step() == paused && "PAUSED".equals(state()));
        given().post("/api/v1/trainer/resume").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> step() > paused);
        assertThat(state()).isIn("TRAINING", "CHECKPOINTING");
    }

    private static String state() {
        return given().get("/api/v1/trainer/status").then().extract().path("state");
    }

    private static long step() {
        return given().get("/api/v1/trainer/status").then().extract().<Number>path("step").longValue();
    }

    /** Stores synthetic crops in the faces bucket and announces them as the crop-service does. */
    static void announceFaces(ObjectStore store, int count) throws Exception {
        String prefix = "crops/flow-" + UUID.randomUUID() + "/";
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < count; i++) {
                String key = prefix + String.format("%03d.png", i);
                byte[] png = SyntheticFaces.png(SyntheticFaces.face(5, ANNOUNCED.get() + i));
                store.put(Bucket.FACES, key, png, "image/png");
                FaceCropped event = new FaceCropped(FaceCropped.SCHEMA_VERSION, "raw", "upload-" + i + ".png", "etag" + i, 0,
                        new FaceCropped.Box(0, 0, 96, 96), key, ObjectKeys.sha256Hex(png), Instant.now());
                producer.send(new ProducerRecord<>(Topic.FACES_CROPPED.topicName(), key, FaceCropped.CODEC.encode(event))).get();
            }
        }
        ANNOUNCED.addAndGet(count);
    }

    @Test
    void aRunIsContinuedOnlyWithItsOwnArchitecture(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String run = "arch-" + UUID.randomUUID().toString().substring(0, 8);
        java.nio.file.Files.writeString(dir.resolve(CheckpointLayout.MANIFEST),
                "{\"formatVersion\": 1, \"architecture\": {\"nz\": 16, \"ngf\": 8, \"ndf\": 8}, \"step\": 3}");
        models.uploadCheckpoint(run, 3, dir);
        given().contentType("application/json").body("{\"runId\": \"" + run + "\", \"ngf\": 16}")
                .post("/api/v1/trainer/runs").then().statusCode(409)
                .body("error", equalTo("run " + run + " was trained with nz=16, ngf=8, ndf=8 (checkpoint at step 3); these "
                        + "settings have nz=16, ngf=16, ndf=8: continue it with its own, or start another run id"));
        assertThat(given().get("/api/v1/trainer/status").then().extract().<String>path("state")).isNotEqualTo("FAILED");
        // the run under way, checkpointed or not yet: the switch would store it at its own architecture, and resuming
        // that at another failed the loop
        String current = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(
                () -> given().get("/api/v1/trainer/status").then().extract().<String>path("runId"), java.util.Objects::nonNull);
        given().contentType("application/json").body("{\"runId\": \"" + current + "\", \"ngf\": 12}")
                .post("/api/v1/trainer/runs").then().statusCode(409)
                .body("error", org.hamcrest.Matchers.containsString("run " + current + " is training with"))
                .body("error", org.hamcrest.Matchers.containsString("these settings have nz=16, ngf=12"));
        assertThat(given().get("/api/v1/trainer/status").then().extract().<String>path("state")).isNotEqualTo("FAILED");
    }

    @Test
    void aNewRunWithBadSettingsIsRefusedWithTheReason() {
        given().contentType("application/json").body("{\"runId\": \"Bad Run!\"}")
                .post("/api/v1/trainer/runs").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("run id must match"));
        given().contentType("application/json").body("{\"runId\": \"import-reference\"}")
                .post("/api/v1/trainer/runs").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("hold imported generators and cannot be trained"));
        given().contentType("application/json").body("{\"runId\": \"huge\", \"batchSize\": 1000000}")
                .post("/api/v1/trainer/runs").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("batch must be at most 4096"));
        given().contentType("application/json").body("{\"runId\": \"hot\", \"lrG\": 1e30}")
                .post("/api/v1/trainer/runs").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("learning rate of G must be in [0.0, 1.0]"));
        // within every bound, but its step would not fit this trainer (step-memory 4G in tests): refused, not OOM-killed
        given().contentType("application/json").body("{\"runId\": \"vast\", \"ngf\": 256, \"ndf\": 256, \"batchSize\": 4096}")
                .post("/api/v1/trainer/runs").then().statusCode(400)
                .body("error", equalTo("a training step at batch 4096 with ngf 256, ndf 256 needs about 134.6 GB of "
                        + "memory; this trainer has 4.3 GB for it (step-memory): use a batch of at most 66"));
        assertThat(given().get("/api/v1/trainer/status").then().extract().<String>path("state")).isNotEqualTo("FAILED");
        given().contentType("application/json").body("{\"runId\": \"wide\", \"ngf\": 100000}")
                .post("/api/v1/trainer/runs").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("ngf, ndf at most 256"));
        // a misspelt setting is refused with its name, not left out (the run would train with the default, for good)
        given().contentType("application/json").body("{\"runId\": \"typo\", \"NGF\": 32}")
                .post("/api/v1/trainer/runs").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("unknown setting 'NGF'"))
                .body("error", org.hamcrest.Matchers.containsString("ngf"));
        given().contentType("application/json").body("{\"runId\": \"nan\", \"emaDecay\": \"NaN\"}")
                .post("/api/v1/trainer/runs").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("EMA decay must be in [0, 1) but is NaN"));
    }

    static String bootstrap() {
        return LocalStackProcess.shared().bootstrapServers();
    }

    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
                new StringSerializer(), new ByteArraySerializer());
    }
}
