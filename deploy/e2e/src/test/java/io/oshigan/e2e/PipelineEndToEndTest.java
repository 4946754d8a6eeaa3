package io.oshigan.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oshigan.contracts.CheckpointPublished;
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

import java.net.http.HttpResponse;
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
        int croppedFaces = SPRITE_FACES.values().stream().mapToInt(Integer::intValue).sum();

        // the trainer takes both the dropped faces and the new crops (announced on faces.cropped), and trains
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode status = trainingStatus();
            assertThat(status.path("datasetSize").asInt() + status.path("pendingImages").asInt())
                    .isEqualTo(SYNTHETIC_FACES + croppedFaces);
            assertThat(status.path("step").asLong()).isPositive();
        });

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
