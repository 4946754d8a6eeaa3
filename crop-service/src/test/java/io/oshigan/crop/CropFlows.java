package io.oshigan.crop;

import io.oshigan.contracts.CropManifest;
import io.oshigan.crop.storage.CropStore;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.StoredObject;
import io.oshigan.testing.LocalStackProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/** Helpers for the crop-service's flow tests against the real local stack. */
public final class CropFlows {
    public static final Duration TIMEOUT = Duration.ofSeconds(45);

    private CropFlows() {
    }

    public static String bootstrap() {
        return LocalStackProcess.shared().bootstrapServers();
    }

    public static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
                new StringSerializer(), new ByteArraySerializer());
    }

    public static String sourceId(StoredObject upload) {
        return ObjectKeys.sourceId(Bucket.RAW.bucketName(), upload.key(), upload.eTag());
    }

    public static CropManifest awaitManifest(CropStore crops, StoredObject upload) {
        String id = sourceId(upload);
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> crops.manifest(id), Optional::isPresent).orElseThrow();
    }

    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
