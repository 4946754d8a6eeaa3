package io.oshigan.crop;

import io.oshigan.contracts.DeadLetters;
import io.oshigan.contracts.Topic;
import io.oshigan.crop.domain.Box;
import io.oshigan.contracts.CropManifest;
import io.oshigan.crop.domain.ImageRejectedException.Reason;
import io.oshigan.crop.storage.CropStore;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.testkit.HostileImages;
import io.oshigan.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Awkward and broken uploads: each is cropped correctly or dead-lettered with a precise reason; nothing stalls. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class BadInputFlowTest {

    record Case(byte[] bytes, String contentType, Box face, Reason reason, String detail) {
        static Case face(byte[] bytes, String contentType, String sprite) {
            return new Case(bytes, contentType, ImageCorpus.SPRITES.get(sprite), null, null);
        }

        static Case rejected(byte[] bytes, String contentType, Reason reason, String detail) {
            return new Case(bytes, contentType, null, reason, detail);
        }
    }

    @Inject
    ObjectStore store;

    @Inject
    CropStore crops;

    @Test
    void eachBadUploadIsCroppedOrDeadLetteredWithItsReason() {
        String prefix = "bad-" + UUID.randomUUID() + "/";
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("empty.png", Case.rejected(new byte[0], "image/png", Reason.EMPTY, "the object is empty (0 bytes)"));
        cases.put("truncated.jpg", Case.rejected(ImageCorpus.truncatedJpeg(), "image/jpeg", Reason.TRUNCATED,
                "has no end-of-image marker: the upload is cut off"));
        cases.put("notes.png", Case.rejected("just some text, honestly".getBytes(StandardCharsets.UTF_8), "image/png",
                Reason.NOT_AN_IMAGE, "no image signature (JPEG, PNG, BMP, GIF or WebP) at its start"));
        cases.put("bomb.png", Case.rejected(ImageCorpus.pngBomb(), "image/png", Reason.TOO_MANY_PIXELS,
                "PNG of 30000x30000 = 900000000 pixels; the limit is 40000000 (refused before decoding)"));
        cases.put("frame-beyond-canvas.gif", Case.rejected(HostileImages.gifFrameBeyondCanvas(), "image/gif",
                Reason.TOO_MANY_PIXELS, "GIF frame 0 of 20000x20000 = 400000000 pixels; the limit is 40000000"));
        cases.put("one-huge-frame.gif", Case.rejected(HostileImages.gifWithOneHugeFrame(), "image/gif",
                Reason.TOO_MANY_PIXELS, "GIF frame 1 of 20000x20000 = 400000000 pixels; the limit is 40000000"));
        // 57 bytes declaring a 2 GB chunk: read without allocating it (a reader that did ended the service)
        cases.put("huge-chunk.png", Case.rejected(HostileImages.pngDeclaringAHugeChunk(), "image/png", Reason.TRUNCATED,
                "PNG of 57 bytes has a chunk 'tEXt' of 2147483632 bytes at byte 33 that runs past its end"));
        cases.put("motion-photo.jpg", Case.face(ImageCorpus.withTrailer(ImageCorpus.progressiveJpeg(), 100_000),
                "image/jpeg", "eileen-vhappy"));
        cases.put("cmyk.jpg", Case.face(ImageCorpus.cmykJpeg(), "image/jpeg", "eileen-happy"));
        cases.put("deep-16bit.png", Case.face(ImageCorpus.sixteenBitPng(), "image/png", "eileen-happy"));
        cases.put("grey.png", Case.face(ImageCorpus.greyPng(), "image/png", "eileen-happy"));
        cases.put("animated.gif", Case.face(ImageCorpus.animatedGif(), "image/gif", "eileen-happy"));
        cases.put("fan art/エイリーン 笑顔 #1+2%.png", Case.face(ImageCorpus.sprite("eileen-vhappy"), "image/png", "eileen-vhappy"));

        try (TopicReader dlq = new TopicReader(CropFlows.bootstrap(), Topic.IMAGES_UPLOADED.deadLetterTopicName())) {
            Map<String, StoredObject> uploads = new LinkedHashMap<>();
            cases.forEach((name, c) -> uploads.put(name, store.put(Bucket.RAW, prefix + name, c.bytes(), c.contentType())));

            for (Map.Entry<String, Case> entry : cases.entrySet()) {
                String name = entry.getKey();
                Case c = entry.getValue();
                StoredObject upload = uploads.get(name);
                CropManifest manifest = CropFlows.awaitManifest(crops, upload);
                if (c.face() != null) {
                    assertThat(manifest.status()).as(name).isEqualTo(CropManifest.Status.CROPPED);
                    assertThat(manifest.crops()).as(name).hasSize(1);
                    assertThat(ImageCorpus.near(manifest.crops().get(0).box(), c.face(), 2))
                            .as("%s: %s near %s", name, manifest.crops().get(0).box(), c.face()).isTrue();
                    continue;
                }
                assertThat(manifest.status()).as(name).isEqualTo(CropManifest.Status.REJECTED);
                assertThat(manifest.rejectedReason()).as(name).startsWith(c.reason().name().toLowerCase().replace('_', '-'));
                ConsumerRecord<String, byte[]> dead = dlq.awaitFirst(r -> r.key().equals("raw/" + upload.key()),
                        CropFlows.TIMEOUT);
                assertThat(CropFlows.header(dead, DeadLetters.REASON_HEADER)).as(name)
                        .startsWith("raw/" + upload.key() + ": " + c.reason().name().toLowerCase().replace('_', '-') + ": ")
                        .contains(c.detail());
            }
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertThat(metrics).contains("oshigan_crop_dead_lettered_total{reason=\"too-many-pixels\"}")
                .contains("oshigan_crop_processing_seconds_bucket");
    }
}
