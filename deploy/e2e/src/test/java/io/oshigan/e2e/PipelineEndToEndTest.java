package io.oshigan.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oshigan.contracts.CheckpointPublished;
import io.oshigan.contracts.DeadLetters;
import io.oshigan.contracts.Topic;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.testkit.Fixtures;
import io.oshigan.testkit.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    static final ObjectMapper JSON = new ObjectMapper();

    LocalSystem system;
    ObjectStore objects;
    String gateway;
    /** Faces the trainer must hold, each exactly once: the dropped ones plus every crop so far. */
    int expectedFaces = SYNTHETIC_FACES;

    @BeforeAll
    void start() throws Exception {
        system = new LocalSystem();
        Runtime.getRuntime().addShutdownHook(new Thread(system::close));
        system.startStack();
        objects = system.objects();
        for (int i = 0; i < SYNTHETIC_FACES; i++) {
            String source = ObjectKeys.sourceId(Bucket.RAW.bucketName(), "synthetic/face-" + i + ".png", "e2e");
            objects.put(Bucket.FACES, ObjectKeys.crop(source, 0), SyntheticFaces.face(i), "image/png");
        }
        system.startServices(system.crop, system.trainer, system.sampler, system.gateway);
        gateway = system.url(system.gateway);
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
                assertThat(manifestsByName()).containsOnlyKeys(SPRITE_FACES.keySet()));
        Map<String, JsonNode> manifests = manifestsByName();
        SPRITE_FACES.forEach((name, faces) -> {
            JsonNode manifest = manifests.get(name);
            assertThat(manifest.path("status").asText()).as(name).isEqualTo(faces > 0 ? "CROPPED" : "NO_FACE");
            assertThat(manifest.path("crops").size()).as(name).isEqualTo(faces);
            manifest.path("crops").forEach(crop -> assertThat(objects.exists(Bucket.FACES, crop.path("cropKey").asText())).isTrue());
        });
        expectedFaces += SPRITE_FACES.values().stream().mapToInt(Integer::intValue).sum();

        // the trainer takes both the dropped faces and the new crops (announced on faces.cropped), and trains
        awaitTrainerHoldsExactlyTheExpectedFaces();
        assertThat(trainingStatus().path("step").asLong()).isPositive();

        // a checkpoint is published, the sampler swaps to it, and the gateway serves a face from it
        try (TopicReader checkpoints = new TopicReader(system.bootstrapServers(), Topic.CHECKPOINTS_PUBLISHED.topicName())) {
            CheckpointPublished first = CheckpointPublished.CODEC.decode(checkpoints.awaitFirst(r -> true, Duration.ofMinutes(3)).value());
            assertThat(first.runId()).isEqualTo(LocalSystem.RUN);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                HttpResponse<byte[]> face = Http.get(gateway + "/api/faces/7");
                assertThat(face.statusCode()).isEqualTo(200);
                String version = face.headers().firstValue("X-Model-Version").orElseThrow();
                Set<String> published = checkpoints.allAfter(Duration.ofSeconds(2), r -> true).stream()
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
        String before = servedVersion();
        String broken = "e2e-broken";
        String prefix = ObjectKeys.checkpointPrefix(broken, 5);
        objects.put(Bucket.MODELS, prefix + "manifest.json", "{ this is not a manifest".getBytes(StandardCharsets.UTF_8), "application/json");
        objects.put(Bucket.MODELS, prefix + "generator/saved_model.pb", new byte[]{1, 2, 3}, "application/octet-stream");
        CheckpointPublished record = new CheckpointPublished(CheckpointPublished.SCHEMA_VERSION, broken, 1, 5,
                prefix + "checkpoint/", prefix + "generator/", null, new CheckpointPublished.Losses(1, 1), 10, Instant.now());
        try (KafkaProducer<String, byte[]> producer = producer();
             TopicReader deadLetters = new TopicReader(system.bootstrapServers(), Topic.CHECKPOINTS_PUBLISHED.deadLetterTopicName())) {
            producer.send(new ProducerRecord<>(Topic.CHECKPOINTS_PUBLISHED.topicName(), broken, CheckpointPublished.CODEC.encode(record))).get();
            producer.send(new ProducerRecord<>(Topic.CHECKPOINTS_PUBLISHED.topicName(), "e2e", "not json".getBytes(StandardCharsets.UTF_8))).get();

            ConsumerRecord<String, byte[]> dead = deadLetters.awaitFirst(r -> "not json".equals(new String(r.value(), StandardCharsets.UTF_8)),
                    Duration.ofMinutes(1));
            assertThat(header(dead, DeadLetters.REASON_HEADER)).isNotBlank();
        }
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(Http.getText(gateway + "/api/models")).contains(broken + "@5"));
        JsonNode models = JSON.readTree(Http.getText(gateway + "/api/models"));
        assertThat(models.path("current").asText()).startsWith(LocalSystem.RUN + "@");
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
        bad.put("bad/truncated.png", java.util.Arrays.copyOf(sprite("eileen-happy.png"), 300));
        bad.put("bad/notes.txt", "just some words".getBytes(StandardCharsets.UTF_8));
        bad.put("bad/bomb.png", BadImages.pngClaiming(30_000, 30_000));

        // through the gateway a non-image never reaches the bucket: 415 with the reason
        HttpResponse<byte[]> refused = Http.upload(gateway + "/api/uploads", LocalSystem.API_KEY, Map.of("notes.txt", bad.get("bad/notes.txt")));
        assertThat(refused.statusCode()).isEqualTo(415);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("error");

        // dropped straight into the bucket, each is dead-lettered with a reason naming it; a good image among them is cropped
        try (TopicReader deadLetters = new TopicReader(system.bootstrapServers(), Topic.IMAGES_UPLOADED.deadLetterTopicName())) {
            bad.forEach((key, bytes) -> objects.put(Bucket.RAW, key, bytes, "application/octet-stream"));
            objects.put(Bucket.RAW, "bad/among-them-a-good-one.png", sprite("lucy-happy.png"), "image/png");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                List<String> reasons = deadLetters.allAfter(Duration.ofSeconds(1), r -> true).stream()
                        .map(r -> header(r, DeadLetters.REASON_HEADER)).toList();
                for (String key : bad.keySet()) {
                    assertThat(reasons).as(key).anyMatch(reason -> reason.startsWith("raw/" + key + ": "));
                }
            });
        }
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(manifestFor("bad/among-them-a-good-one.png").path("status").asText()).isEqualTo("CROPPED"));
        expectedFaces += 1;
        system.crop.awaitHttpOk(system.url(system.crop) + "/q/health/ready", Duration.ofSeconds(10));
        awaitTrainerHoldsExactlyTheExpectedFaces();
    }

    @Test
    @Order(4)
    void killingTheCropServiceMidBurstLosesAndDuplicatesNothing() throws Exception {
        List<String> keys = burstKeys("kill-crop", 60);
        AtomicInteger stored = new AtomicInteger();
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> keys.forEach(key -> {
            putRetrying(key);
            stored.incrementAndGet();
        }));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> manifestsUnder("kill-crop/") >= 5);
        system.crop.kill();
        int processedBeforeKill = manifestsUnder("kill-crop/");
        burst.join();
        system.startServices(system.crop);

        assertBurstCroppedExactlyOnce(keys, Duration.ofMinutes(3));
        assertThat(processedBeforeKill).as("killed mid-burst").isLessThan(keys.size());
    }

    @Test
    @Order(5)
    void killingTheTrainerResumesFromItsLastCheckpoint() throws Exception {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> trainingStatus().path("lastCheckpoint").path("step").asLong() > 0);
        long checkpointed = trainingStatus().path("lastCheckpoint").path("step").asLong();
        system.trainer.kill();
        system.startServices(system.trainer);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> trainingStatus().path("step").asLong() > 0);
        assertThat(trainingStatus().path("step").asLong()).as("resumed at or after step " + checkpointed).isGreaterThanOrEqualTo(checkpointed);
        try (TopicReader checkpoints = new TopicReader(system.bootstrapServers(), Topic.CHECKPOINTS_PUBLISHED.topicName())) {
            checkpoints.awaitFirst(r -> LocalSystem.RUN.equals(r.key()) && decodes(r) && CheckpointPublished.CODEC.decode(r.value()).step() > checkpointed,
                    Duration.ofMinutes(3));
        }
        awaitTrainerHoldsExactlyTheExpectedFaces();
    }

    @Test
    @Order(6)
    void restartingTheBrokerMidStreamNeedsNoHandsAndLosesNothing() throws Exception {
        List<String> keys = burstKeys("broker-restart", 40);
        AtomicInteger stored = new AtomicInteger();
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> keys.forEach(key -> {
            putRetrying(key);
            stored.incrementAndGet();
        }));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> stored.get() >= 10);
        system.stack.stop(30);
        system.startStack();
        burst.join();

        assertBurstCroppedExactlyOnce(keys, Duration.ofMinutes(4));
        for (ChildProcess service : List.of(system.crop, system.trainer, system.sampler, system.gateway)) {
            system.awaitUp(service);
        }
        // the sampler's consumer came back too: it swaps to a checkpoint published after the restart
        long after = trainingStatus().path("lastCheckpoint").path("step").asLong();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String version = servedVersion();
            assertThat(Long.parseLong(version.substring(version.indexOf('@') + 1))).isGreaterThan(after);
        });
    }

    /** Every upload of a burst has its one manifest; crops exist once; the trainer holds each new face once. */
    void assertBurstCroppedExactlyOnce(List<String> keys, Duration timeout) throws Exception {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String key : keys) {
                assertThat(objects.exists(Bucket.FACES, ObjectKeys.cropManifest(sourceIdOf(key)))).as(key).isTrue();
            }
        });
        int faces = 0;
        for (String key : keys) {
            String source = sourceIdOf(key);
            JsonNode manifest = JSON.readTree(objects.get(Bucket.FACES, ObjectKeys.cropManifest(source)));
            assertThat(manifest.path("status").asText()).as(key).isIn("CROPPED", "NO_FACE");
            assertThat(objects.list(Bucket.FACES, "crops/" + source + "/")).as(key).hasSize(manifest.path("crops").size());
            faces += manifest.path("crops").size();
        }
        expectedFaces += faces;
        awaitTrainerHoldsExactlyTheExpectedFaces();
    }

    /** Sprites under fresh keys, the face-less one included. */
    static List<String> burstKeys(String folder, int count) {
        List<String> names = new ArrayList<>(SPRITE_FACES.keySet());
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(folder + "/" + i + "-" + names.get(i % names.size()));
        }
        return keys;
    }

    /** As a user's client would: an upload that fails while the stack restarts is sent again. */
    void putRetrying(String key) {
        String file = key.substring(key.lastIndexOf('/') + 1);
        byte[] bytes = sprite(file.substring(file.indexOf('-') + 1));
        for (int attempt = 0; ; attempt++) {
            try {
                objects.put(Bucket.RAW, key, bytes, "image/png");
                return;
            } catch (RuntimeException e) {
                if (attempt > 120) {
                    throw e;
                }
                ChildProcess.sleep(500);
            }
        }
    }

    String sourceIdOf(String key) {
        return ObjectKeys.sourceId(Bucket.RAW.bucketName(), key, objects.stat(Bucket.RAW, key).orElseThrow().eTag());
    }

    int manifestsUnder(String folder) throws Exception {
        int count = 0;
        for (StoredObject object : objects.list(Bucket.FACES, "manifests/")) {
            if (JSON.readTree(objects.get(Bucket.FACES, object.key())).path("sourceKey").asText().startsWith(folder)) {
                count++;
            }
        }
        return count;
    }

    JsonNode manifestFor(String key) throws Exception {
        return JSON.readTree(objects.get(Bucket.FACES, ObjectKeys.cropManifest(sourceIdOf(key))));
    }

    void awaitTrainerHoldsExactlyTheExpectedFaces() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode status = trainingStatus();
            assertThat(status.path("datasetSize").asInt() + status.path("pendingImages").asInt()).isEqualTo(expectedFaces);
        });
    }

    String servedVersion() {
        HttpResponse<byte[]> face = Http.get(gateway + "/api/faces/1");
        assertThat(face.statusCode()).isEqualTo(200);
        return face.headers().firstValue("X-Model-Version").orElseThrow();
    }

    KafkaProducer<String, byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    static boolean decodes(ConsumerRecord<String, byte[]> record) {
        try {
            CheckpointPublished.CODEC.decode(record.value());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static byte[] sprite(String name) {
        try {
            return Files.readAllBytes(Fixtures.path("anime/" + name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    JsonNode trainingStatus() throws Exception {
        return JSON.readTree(Http.getText(gateway + "/api/training/status"));
    }

    /** Manifests of the uploads made through the gateway, by file name. */
    Map<String, JsonNode> manifestsByName() throws Exception {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (StoredObject object : objects.list(Bucket.FACES, "manifests/")) {
            JsonNode manifest = JSON.readTree(objects.get(Bucket.FACES, object.key()));
            String key = manifest.path("sourceKey").asText();
            // the gateway stores uploads as uploads/<day>/<uuid>-<file name>
            byName.put(key.substring(key.lastIndexOf('/') + 1).replaceFirst("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-", ""), manifest);
        }
        return byName;
    }
}
