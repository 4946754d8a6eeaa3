package io.oshigan.local;

import io.oshigan.contracts.S3EventNotification;
import io.oshigan.contracts.Topic;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StorageSettings;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The whole local infrastructure in one JVM: a Kafka broker with the pipeline's topics, an S3 server with its
 * buckets, and MinIO-format {@code images.uploaded} events for every object created in bucket {@code raw}.
 */
public final class LocalStack implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final KafkaProducer<String, byte[]> eventProducer;
    private final LocalStackConfig config;

    private LocalStack(EmbeddedKafka kafka, EmbeddedS3 s3, KafkaProducer<String, byte[]> eventProducer,
                       LocalStackConfig config) {
        this.kafka = kafka;
        this.s3 = s3;
        this.eventProducer = eventProducer;
        this.config = config;
    }

    public static LocalStack start(LocalStackConfig config) throws Exception {
        String host = config.host();
        int[] ports = Ports.orFree(config.kafkaPort(), config.kafkaControllerPort(), config.s3Port());
        EmbeddedKafka kafka = EmbeddedKafka.start(config.dataDir().resolve("kafka"), host, ports[0], ports[1]);
        EmbeddedS3 s3 = null;
        KafkaProducer<String, byte[]> producer = null;
        try {
            kafka.createTopics(topics());
            producer = eventProducer(kafka.bootstrapServers());
            KafkaProducer<String, byte[]> events = producer;
            s3 = EmbeddedS3.start(config.dataDir().resolve("s3"), host, ports[2],
                    config.accessKey(), config.secretKey(),
                    store -> {
                        OpenUploads uploads = new OpenUploads();
                        return new NotifyingBlobStore(new ConsistentListingBlobStore(store, uploads),
                                Bucket.RAW.bucketName(), uploads,
                                (eventName, object) -> publish(events, eventName, object, config.accessKey(), host));
                    });
            LocalStack stack = new LocalStack(kafka, s3, producer, config);
            try (ObjectStore store = ObjectStore.connect(stack.storageSettings())) {
                store.ensureBuckets(Bucket.values());
            }
            return stack;
        } catch (Exception | Error e) {
            if (s3 != null) {
                s3.close();
            }
            if (producer != null) {
                producer.close();
            }
            kafka.close();
            throw e;
        }
    }

    /** Every pipeline topic and its dead-letter twin. */
    public static List<NewTopic> topics() {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            topics.add(new NewTopic(topic.topicName(), topic.partitions(), (short) 1));
            topics.add(new NewTopic(topic.deadLetterTopicName(), 1, (short) 1));
        }
        return topics;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    public StorageSettings storageSettings() {
        return new StorageSettings(s3.endpoint(), config.accessKey(), config.secretKey(), StorageSettings.DEFAULT_REGION);
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    @Override
    public void close() throws Exception {
        try {
            s3.close();
        } finally {
            eventProducer.close();
            kafka.close();
        }
    }

    private static void publish(KafkaProducer<String, byte[]> producer, String eventName,
                                MinioEvents.CreatedObject object, String accessKey, String host) {
        S3EventNotification event = MinioEvents.objectCreated(eventName, object, accessKey,
                "http://" + host, Instant.now());
        try {
            producer.send(new ProducerRecord<>(Topic.IMAGES_UPLOADED.topicName(), event.key(),
                    S3EventNotification.CODEC.encode(event))).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing the event for " + event.key() + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the event for " + event.key(), e);
        }
    }

    private static KafkaProducer<String, byte[]> eventProducer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }
}
