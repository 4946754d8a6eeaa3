package io.oshigan.sampler;

import io.oshigan.contracts.CheckpointPublished;
import io.oshigan.contracts.Topic;
import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.TrainingGraph;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.testing.LocalStackProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Small real checkpoints, uploaded the way the trainer does and announced on checkpoints.published. */
final class TestModels {
    static final Architecture SMALL = new Architecture(16, 8, 8);

    private TestModels() {
    }

    /** A fresh model from a seed (different seeds, different faces), uploaded as run@step. */
    static String publish(CheckpointStore store, String run, long step, long seed) throws Exception {
        announce(run, step, upload(store, run, step, seed));
        return run + "@" + step;
    }

    /** Uploaded as the trainer does, without the record; returns the checkpoint's prefix. */
    static String upload(CheckpointStore store, String run, long step, long seed) throws Exception {
        return upload(store, run, step, seed, 1, 1);
    }

    /** {@link #upload(CheckpointStore, String, long, long)} with the losses its manifest states (data set of 10). */
    static String upload(CheckpointStore store, String run, long step, long seed, double lossD, double lossG) throws Exception {
        Path dir = Files.createTempDirectory("sampler-test-checkpoint");
        try (TrainingGraph graph = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(seed).threads(SessionThreads.defaults()).fixedNoise(4).build()) {
            Checkpoints.write(graph, dir, 10, lossD, lossG, Instant.now());
        }
        return store.uploadCheckpoint(run, step, dir);
    }

    static void announce(String run, long step, String prefix) throws Exception {
        CheckpointPublished event = new CheckpointPublished(CheckpointPublished.SCHEMA_VERSION, run, 1, step, prefix,
                prefix + "generator/", null, new CheckpointPublished.Losses(1, 1), 10, Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackProcess.shared().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topic.CHECKPOINTS_PUBLISHED.topicName(), run,
                    CheckpointPublished.CODEC.encode(event))).get();
        }
    }
}
