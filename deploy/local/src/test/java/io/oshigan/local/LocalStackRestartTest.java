package io.oshigan.local;

import io.oshigan.contracts.S3EventNotification;
import io.oshigan.contracts.Topic;
import io.oshigan.storage.Bucket;
import io.oshigan.testkit.TopicReader;
import io.oshigan.storage.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LocalStackRestartTest {

    @Test
    void aRestartKeepsObjectsEventsAndTopics(@TempDir Path dataDir) throws Exception {
        byte[] image = LocalStackTest.randomBytes(4096);
        try (LocalStack first = LocalStack.start(LocalStackConfig.defaults(dataDir));
             ObjectStore store = ObjectStore.connect(first.storageSettings());
             TopicReader uploads = new TopicReader(first.bootstrapServers(), Topic.IMAGES_UPLOADED.topicName())) {
            store.put(Bucket.RAW, "kept.png", image, "image/png");
            uploads.awaitFirst(r -> r.key().equals("raw/kept.png"), Duration.ofSeconds(20));
        }

        // new ports on purpose: only the data directory carries over
        try (LocalStack second = LocalStack.start(LocalStackConfig.defaults(dataDir));
             ObjectStore store = ObjectStore.connect(second.storageSettings());
             TopicReader uploads = new TopicReader(second.bootstrapServers(), Topic.IMAGES_UPLOADED.topicName())) {
            assertThat(store.get(Bucket.RAW, "kept.png")).isEqualTo(image);
            var event = uploads.awaitFirst(r -> r.key().equals("raw/kept.png"), Duration.ofSeconds(20));
            assertThat(S3EventNotification.CODEC.decode(event.value()).records().get(0).s3().object().size())
                    .isEqualTo(image.length);
            assertThat(uploads.allUntilEnd(r -> r.key().equals("raw/kept.png")))
                    .as("the restart must not announce stored objects again").hasSize(1);
        }
    }
}
