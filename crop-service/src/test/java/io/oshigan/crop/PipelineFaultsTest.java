package io.oshigan.crop;

import io.oshigan.contracts.DeadLetters;
import io.oshigan.contracts.Topic;
import io.oshigan.contracts.CropManifest;
import io.oshigan.crop.storage.CropStore;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The detector failing on an image, as OpenCV does, in the running service: an error on the bytes rejects that upload
 * with the error as the reason; running out of native memory is retried and the upload is cropped; both leave the
 * service ready and the next good upload cropped.
 */
@QuarkusTest
@TestProfile(PipelineFaultsTest.Faults.class)
@WithTestResource(LocalStackResource.class)
class PipelineFaultsTest {

    public static class Faults implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FaultyDetectorProducer.class);
        }
    }

    @Inject
    ObjectStore store;

    @Inject
    CropStore crops;

    @Test
    void aDetectorErrorRejectsWithItsCauseAndRunningOutOfMemoryIsRetried() {
        String prefix = "faults-" + UUID.randomUUID() + "/";
        try (TopicReader dlq = new TopicReader(CropFlows.bootstrap(), Topic.IMAGES_UPLOADED.deadLetterTopicName())) {
            StoredObject broken = store.put(Bucket.RAW, prefix + "broken.png",
                    plain(FaultyDetectorProducer.BROKEN_WIDTH), "image/png");
            CropManifest rejected = CropFlows.awaitManifest(crops, broken);
            assertThat(rejected.status()).isEqualTo(CropManifest.Status.REJECTED);
            assertThat(rejected.rejectedReason()).isEqualTo("processing-failed: CvException: OpenCV(4.9.0) "
                    + "detect.cpp:1: error: (-215:Assertion failed) !features.empty() in function 'detectMultiScale'");
            ConsumerRecord<String, byte[]> dead = dlq.awaitFirst(r -> r.key().equals("raw/" + broken.key()),
                    CropFlows.TIMEOUT);
            assertThat(CropFlows.header(dead, DeadLetters.REASON_HEADER))
                    .startsWith("raw/" + broken.key() + ": processing-failed: CvException: ");

            StoredObject starved = store.put(Bucket.RAW, prefix + "starved.png",
                    plain(FaultyDetectorProducer.STARVED_WIDTH), "image/png");
            CropManifest retried = CropFlows.awaitManifest(crops, starved);
            assertThat(retried.status()).as(retried.rejectedReason()).isEqualTo(CropManifest.Status.NO_FACE);
            assertThat(FaultyDetectorProducer.STARVED_TRIES.get()).isEqualTo(2);

            StoredObject good = store.put(Bucket.RAW, prefix + "good.png", ImageCorpus.sprite("eileen-happy"),
                    "image/png");
            CropManifest cropped = CropFlows.awaitManifest(crops, good);
            assertThat(cropped.status()).isEqualTo(CropManifest.Status.CROPPED);
            assertThat(cropped.crops()).hasSize(1);
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        assertThat(given().get("/q/metrics").then().extract().asString())
                .contains("oshigan_crop_dead_lettered_total{reason=\"processing-failed\"}");
    }

    private static byte[] plain(int width) {
        Mat image = new Mat(43, width, CvType.CV_8UC3, Scalar.all(200));
        try {
            return ImageCorpus.encode(image, ".png");
        } finally {
            image.release();
        }
    }
}
