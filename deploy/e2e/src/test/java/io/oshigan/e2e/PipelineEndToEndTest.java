package io.oshigan.e2e;

import io.oshigan.trainer.domain.SyntheticFaces;
import com.fasterxml.jackson.databind.JsonNode;
import io.oshigan.contracts.CheckpointPublished;
import io.oshigan.contracts.DeadLetters;
import io.oshigan.contracts.Topic;
import io.oshigan.contracts.CropManifest;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.testkit.Fixtures;
import io.oshigan.testkit.HostileImages;
import io.oshigan.testkit.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline as a user meets it: sprites uploaded through the gateway are cropped, synthetic faces dropped straight
 * into the faces bucket join them, the trainer trains and publishes a checkpoint, the sampler swaps to it, and a face
 * comes back through the gateway from that checkpoint. The fault drills then run against the same live system.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {
    static final int SYNTHETIC_FACES = 48;
    static final Map<String, Integer> SPRITE_FACES = Map.of("eileen-concerned.png", 1, "eileen-happy.png", 1,
            "eileen-vhappy.png", 1, "lucy-happy.png", 1, "lucy-mad.png", 0);

    LocalSystem system;
    ObjectStore objects;
    String gateway;
    Pipeline pipeline;

    @BeforeAll
    void start() throws Exception {
        system = new LocalSystem();
        Runtime.getRuntime().addShutdownHook(new Thread(system::close));
        system.startStack();
        objects = system.objects();
        Map<String, byte[]> dropped = new LinkedHashMap<>();
        for (int i = 0; i < SYNTHETIC_FACES; i++) {
            String source = ObjectKeys.sourceId(Bucket.RAW.bucketName(), "synthetic/face-" + i + ".png", "e2e");
            dropped.put(ObjectKeys.crop(source, 0), SyntheticFaces.png(SyntheticFaces.face(7, i)));
        }
        dropped.forEach((key, png) -> objects.put(Bucket.FACES, key, png, "image/png"));
        system.startServices(system.crop, system.trainer, system.sampler, system.gateway);
        gateway = system.url(system.gateway);
        pipeline = new Pipeline(system, objects, dropped);
    }

    @AfterAll
    void stop() {
        if (objects != null) {
            objects.close();
        }
        system.close();
    }

    @Test
    @Order(1)
    void aDroppedImageBecomesAFreshFaceThroughTheGateway() throws Exception {
        Map<String, byte[]> sprites = new LinkedHashMap<>();
        for (String name : SPRITE_FACES.keySet()) {
            sprites.put(name, Files.readAllBytes(Fixtures.path("anime/" + name)));
        }
        HttpResponse<byte[]> upload = Http.upload(gateway + "/api/uploads", LocalSystem.API_KEY, sprites);
        assertThat(upload.statusCode()).as(new String(upload.body())).isEqualTo(200);

        // every upload cropped as the reference does: one face each, none in lucy-mad
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(pipeline.manifestsByName()).containsOnlyKeys(SPRITE_FACES.keySet()));
        Map<String, CropManifest> manifests = pipeline.manifestsByName();
        SPRITE_FACES.forEach((name, faces) -> {
            CropManifest manifest = manifests.get(name);
            assertThat(manifest.status()).as(name).isEqualTo(faces > 0 ? CropManifest.Status.CROPPED : CropManifest.Status.NO_FACE);
            assertThat(manifest.crops()).as(name).hasSize(faces);
            manifest.crops().forEach(crop -> assertThat(objects.exists(Bucket.FACES, crop.cropKey())).isTrue());
        });
        manifests.values().forEach(pipeline::expectFacesOf);

        // the trainer takes both the dropped faces and the new crops (announced on faces.cropped), and trains
        pipeline.awaitTrainerHoldsExactlyTheExpectedFaces();
        // held faces may still be pending (they join at the next epoch boundary): wait for training, do not race it
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> pipeline.trainingStatus().path("step").asLong() > 0);

        // a checkpoint is published, the sampler swaps to it, and the gateway serves a face from it
        try (TopicReader checkpoints = new TopicReader(system.bootstrapServers(), Topic.CHECKPOINTS_PUBLISHED.topicName())) {
            CheckpointPublished first = CheckpointPublished.CODEC.decode(checkpoints.awaitFirst(r -> true, Duration.ofMinutes(3)).value());
            assertThat(first.runId()).isEqualTo(LocalSystem.RUN);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                HttpResponse<byte[]> face = Http.get(gateway + "/api/faces/7");
                assertThat(face.statusCode()).isEqualTo(200);
                String version = face.headers().firstValue("X-Model-Version").orElseThrow();
                Set<String> published = checkpoints.allUntilEnd(r -> true).stream()
                        .map(r -> CheckpointPublished.CODEC.decode(r.value()))
                        .map(c -> c.runId() + "@" + c.step()).collect(Collectors.toSet());
                assertThat(published).contains(version);
                assertThat(face.headers().firstValue("X-Seed")).hasValue("7");
                assertThat(face.body()).startsWith(0x89, 'P', 'N', 'G');
            });
        }
    }

    @Test
    @Order(2)
    void aCorruptCheckpointAndAMalformedRecordLeaveTheSamplerServing() throws Exception {
        String before = pipeline.servedVersion();
        String broken = "e2e-broken";
        String prefix = ObjectKeys.checkpointPrefix(broken, 5);
        objects.put(Bucket.MODELS, prefix + "manifest.json", "{ this is not a manifest".getBytes(StandardCharsets.UTF_8), "application/json");
        objects.put(Bucket.MODELS, prefix + "generator/saved_model.pb", new byte[]{1, 2, 3}, "application/octet-stream");
        CheckpointPublished record = new CheckpointPublished(CheckpointPublished.SCHEMA_VERSION, broken, 1, 5,
                prefix + "checkpoint/", prefix + "generator/", null, new CheckpointPublished.Losses(1, 1), 10, Instant.now());
        try (KafkaProducer<String, byte[]> producer = pipeline.producer();
             TopicReader deadLetters = new TopicReader(system.bootstrapServers(), Topic.CHECKPOINTS_PUBLISHED.deadLetterTopicName())) {
            producer.send(new ProducerRecord<>(Topic.CHECKPOINTS_PUBLISHED.topicName(), broken, CheckpointPublished.CODEC.encode(record))).get();
            producer.send(new ProducerRecord<>(Topic.CHECKPOINTS_PUBLISHED.topicName(), "e2e", "not json".getBytes(StandardCharsets.UTF_8))).get();

            ConsumerRecord<String, byte[]> dead = deadLetters.awaitFirst(r -> "not json".equals(new String(r.value(), StandardCharsets.UTF_8)),
                    Duration.ofMinutes(1));
            assertThat(Pipeline.header(dead, DeadLetters.REASON_HEADER)).isNotBlank();
        }
        // the local S3 server (s3proxy, filesystem backend) can answer a listing with a 500 while the trainer writes a
        // grid at that moment; the sampler's status then is a 503 for that one request, so it is read until it answers
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode models = Pipeline.JSON.readTree(Http.getText(gateway + "/api/models"));
            assertThat(models.path("failures").toString()).contains(broken + "@5");
            assertThat(models.path("current").asText()).startsWith(LocalSystem.RUN + "@");
        });
        HttpResponse<byte[]> face = Http.get(gateway + "/api/faces/11");
        assertThat(face.statusCode()).isEqualTo(200);
        assertThat(face.headers().firstValue("X-Model-Version").orElseThrow()).startsWith(LocalSystem.RUN + "@");
        assertThat(before).startsWith(LocalSystem.RUN + "@");
        system.sampler.awaitHttpOk(system.url(system.sampler) + "/q/health/ready", Duration.ofSeconds(10));
    }

    @Test
    @Order(3)
    void badUploadsAreDeadLetteredWithTheirReasonAndGoodOnesStillCropped() throws Exception {
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("bad/empty.png", new byte[0]);
        bad.put("bad/noise.png", new java.util.Random(1).ints(4096, 0, 256).collect(java.io.ByteArrayOutputStream::new,
                (out, b) -> out.write(b), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray());
        bad.put("bad/truncated.png", java.util.Arrays.copyOf(Pipeline.sprite("eileen-happy.png"), 300));
        bad.put("bad/notes.txt", "just some words".getBytes(StandardCharsets.UTF_8));
        bad.put("bad/bomb.png", HostileImages.pngBomb());

        // through the gateway a non-image never reaches the bucket: 415 with the reason
        HttpResponse<byte[]> refused = Http.upload(gateway + "/api/uploads", LocalSystem.API_KEY, Map.of("notes.txt", bad.get("bad/notes.txt")));
        assertThat(refused.statusCode()).isEqualTo(415);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("error");

        // dropped straight into the bucket, each is dead-lettered with a reason naming it; a good image among them is cropped
        try (TopicReader deadLetters = new TopicReader(system.bootstrapServers(), Topic.IMAGES_UPLOADED.deadLetterTopicName())) {
            bad.forEach((key, bytes) -> objects.put(Bucket.RAW, key, bytes, "application/octet-stream"));
            objects.put(Bucket.RAW, "bad/among-them-a-good-one.png", Pipeline.sprite("lucy-happy.png"), "image/png");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                List<String> reasons = deadLetters.allUntilEnd(r -> true).stream()
                        .map(r -> Pipeline.header(r, DeadLetters.REASON_HEADER)).toList();
                for (String key : bad.keySet()) {
                    assertThat(reasons).as(key).anyMatch(reason -> reason.startsWith("raw/" + key + ": "));
                }
            });
        }
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(pipeline.manifestFor("bad/among-them-a-good-one.png").status()).isEqualTo(CropManifest.Status.CROPPED));
        // lucy-happy's face again (uploaded through the gateway before): the trainer holds it once
        pipeline.expectFacesOf(pipeline.manifestFor("bad/among-them-a-good-one.png"));
        system.crop.awaitHttpOk(system.url(system.crop) + "/q/health/ready", Duration.ofSeconds(10));
        pipeline.awaitTrainerHoldsExactlyTheExpectedFaces();
    }

    @Test
    @Order(4)
    void killingTheCropServiceMidBurstLosesAndDuplicatesNothing() throws Exception {
        List<String> keys = Pipeline.burstKeys("kill-crop", 60);
        AtomicInteger stored = new AtomicInteger();
        CompletableFuture<Void> burst = pipeline.uploadInBackground(keys, stored);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> pipeline.manifestsUnder("kill-crop/") >= 5);
        system.crop.kill();
        int processedBeforeKill = pipeline.manifestsUnder("kill-crop/");
        burst.join();
        system.startServices(system.crop);

        pipeline.assertBurstCroppedExactlyOnce(keys, Duration.ofMinutes(3));
        assertThat(processedBeforeKill).as("killed mid-burst").isLessThan(keys.size());
    }

    @Test
    @Order(5)
    void killingTheTrainerResumesFromItsLastCheckpoint() throws Exception {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> pipeline.trainingStatus().path("lastCheckpoint").path("step").asLong() > 0);
        long checkpointed = pipeline.trainingStatus().path("lastCheckpoint").path("step").asLong();
        system.trainer.kill();
        system.startServices(system.trainer);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> pipeline.trainingStatus().path("step").asLong() > 0);
        assertThat(pipeline.trainingStatus().path("step").asLong()).as("resumed at or after step " + checkpointed).isGreaterThanOrEqualTo(checkpointed);
        try (TopicReader checkpoints = new TopicReader(system.bootstrapServers(), Topic.CHECKPOINTS_PUBLISHED.topicName())) {
            checkpoints.awaitFirst(r -> LocalSystem.RUN.equals(r.key()) && Pipeline.decodes(r) && CheckpointPublished.CODEC.decode(r.value()).step() > checkpointed,
                    Duration.ofMinutes(3));
        }
        pipeline.awaitTrainerHoldsExactlyTheExpectedFaces();
    }

    @Test
    @Order(6)
    void restartingTheBrokerMidStreamNeedsNoHandsAndLosesNothing() throws Exception {
        // and the trainer, restarted while the stack is down, trains once it is back (its checkpoint below)
        List<String> keys = Pipeline.burstKeys("broker-restart", 40);
        AtomicInteger stored = new AtomicInteger();
        CompletableFuture<Void> burst = pipeline.uploadInBackground(keys, stored);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> stored.get() >= 10);
        system.stack.stop(30);
        // a trainer that starts while S3 and Kafka are away waits for them instead of failing (pods start in any order)
        system.trainer.kill();
        system.trainer.start();
        system.trainer.awaitHttpOk(system.url(system.trainer) + "/q/health/live", Duration.ofMinutes(2));
        assertThat(pipeline.trainingStatus().path("state").asText()).isEqualTo("STARTING"); // waiting for S3, not FAILED
        system.startStack();
        burst.join();

        pipeline.assertBurstCroppedExactlyOnce(keys, Duration.ofMinutes(4));
        for (ChildProcess service : List.of(system.crop, system.trainer, system.sampler, system.gateway)) {
            system.awaitUp(service);
        }
        // the sampler's consumer came back too: it swaps to a checkpoint published after the restart
        long after = pipeline.trainingStatus().path("lastCheckpoint").path("step").asLong();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String version = pipeline.servedVersion();
            assertThat(Long.parseLong(version.substring(version.indexOf('@') + 1))).isGreaterThan(after);
        });
    }
}
