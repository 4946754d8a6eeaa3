package io.oshigan.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oshigan.contracts.CheckpointPublished;
import io.oshigan.contracts.CropManifest;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.testkit.Fixtures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the end-to-end test sees and does around the running system: uploads and bursts, manifests and crops in the
 * buckets, the trainer's status, the served version, records on the topics. Keeps count of the faces the trainer
 * must hold, each exactly once: a face is its pixels (the crop's sha256), so the same sprite dropped under many keys is
 * one face, and its other crops are the trainer's duplicates.
 */
final class Pipeline {
    static final ObjectMapper JSON = new ObjectMapper();

    private final LocalSystem system;
    private final ObjectStore objects;
    private final String gateway;
    /** Every crop key the trainer is offered, and the faces (sha256 of a crop's bytes) they hold. */
    private final Set<String> cropKeys = new HashSet<>();
    private final Set<String> faces = new HashSet<>();

    /** {@code dropped}: crops put straight into the faces bucket, key to bytes. */
    Pipeline(LocalSystem system, ObjectStore objects, Map<String, byte[]> dropped) {
        this.system = system;
        this.objects = objects;
        this.gateway = system.url(system.gateway);
        dropped.forEach((key, png) -> {
            cropKeys.add(key);
            faces.add(ObjectKeys.sha256Hex(png));
        });
    }

    /** The trainer is to hold the faces of {@code manifest}'s crops (those it holds already: as duplicates). */
    void expectFacesOf(CropManifest manifest) {
        for (CropManifest.Entry crop : manifest.crops()) {
            cropKeys.add(crop.cropKey());
            faces.add(crop.sha256());
        }
    }

    /** Every upload of a burst has its one manifest; crops exist once; the trainer holds each new face once. */
    void assertBurstCroppedExactlyOnce(List<String> keys, Duration timeout) throws Exception {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String key : keys) {
                assertThat(objects.exists(Bucket.FACES, ObjectKeys.cropManifest(sourceIdOf(key)))).as(key).isTrue();
            }
        });
        for (String key : keys) {
            String source = sourceIdOf(key);
            CropManifest manifest = CropManifest.CODEC.decode(objects.get(Bucket.FACES, ObjectKeys.cropManifest(source)));
            assertThat(manifest.status()).as(key).isIn(CropManifest.Status.CROPPED, CropManifest.Status.NO_FACE);
            assertThat(objects.list(Bucket.FACES, "crops/" + source + "/")).as(key).hasSize(manifest.crops().size());
            expectFacesOf(manifest);
        }
        awaitTrainerHoldsExactlyTheExpectedFaces();
    }

    /** Sprites under fresh keys, the face-less one included. */
    static List<String> burstKeys(String folder, int count) {
        List<String> names = new ArrayList<>(PipelineEndToEndTest.SPRITE_FACES.keySet());
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(folder + "/" + i + "-" + names.get(i % names.size()));
        }
        return keys;
    }

    /** Puts the burst one upload after another on another thread, counting those stored. */
    CompletableFuture<Void> uploadInBackground(List<String> keys, AtomicInteger stored) {
        return CompletableFuture.runAsync(() -> keys.forEach(key -> {
            putRetrying(key);
            stored.incrementAndGet();
        }));
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
            if (CropManifest.CODEC.decode(objects.get(Bucket.FACES, object.key())).sourceKey().startsWith(folder)) {
                count++;
            }
        }
        return count;
    }

    CropManifest manifestFor(String key) {
        return CropManifest.CODEC.decode(objects.get(Bucket.FACES, ObjectKeys.cropManifest(sourceIdOf(key))));
    }

    /** Each face once, and every other crop of it counted as a duplicate. */
    void awaitTrainerHoldsExactlyTheExpectedFaces() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode status = trainingStatus();
            assertThat(status.path("datasetSize").asInt() + status.path("pendingImages").asInt()).as("faces")
                    .isEqualTo(faces.size());
            assertThat(status.path("duplicateImages").asInt()).as("crops of a face held by another crop")
                    .isEqualTo(cropKeys.size() - faces.size());
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
    Map<String, CropManifest> manifestsByName() {
        Map<String, CropManifest> byName = new LinkedHashMap<>();
        for (StoredObject object : objects.list(Bucket.FACES, "manifests/")) {
            CropManifest manifest = CropManifest.CODEC.decode(objects.get(Bucket.FACES, object.key()));
            String key = manifest.sourceKey();
            // the gateway stores uploads as uploads/<content id>/<file name> (ObjectKeys.upload)
            byName.put(key.substring(key.lastIndexOf('/') + 1), manifest);
        }
        return byName;
    }
}
