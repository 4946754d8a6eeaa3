package io.oshigan.contracts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OwnContractsTest {

    static FaceCropped face() {
        return new FaceCropped(FaceCropped.SCHEMA_VERSION, "raw", "fan art/miku.png", "d4d305d6", 2,
                new FaceCropped.Box(10, 20, 64, 64), "v1/abc/002.png", "a".repeat(64),
                Instant.parse("2026-11-29T01:02:03.456Z"));
    }

    static CheckpointPublished checkpoint() {
        return new CheckpointPublished(CheckpointPublished.SCHEMA_VERSION, "run-20261129", 10, 1234,
                "runs/run-20261129/checkpoints/000001234.ckpt", "runs/run-20261129/generators/000001234.pb",
                null, new CheckpointPublished.Losses(0.69, 1.2), 2048, Instant.parse("2026-11-29T02:00:00Z"));
    }

    @Test
    void faceCroppedRoundTrips() {
        byte[] json = FaceCropped.CODEC.encode(face());
        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"schemaVersion\":1")
                .contains("\"croppedAt\":\"2026-11-29T01:02:03.456Z\"");
        assertThat(FaceCropped.CODEC.decode(json)).isEqualTo(face());
    }

    @Test
    void checkpointPublishedRoundTrips() {
        assertThat(CheckpointPublished.CODEC.decode(CheckpointPublished.CODEC.encode(checkpoint())))
                .isEqualTo(checkpoint());
    }

    @Test
    void cropExclusionRoundTripsAndNamesACrop() {
        CropExclusion exclusion = CropExclusion.of("crops/abc/000.png", java.time.Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(CropExclusion.CODEC.decode(CropExclusion.CODEC.encode(exclusion))).isEqualTo(exclusion);
        assertThatThrownBy(() -> CropExclusion.CODEC.encode(CropExclusion.of("manifests/x.json", java.time.Instant.now())))
                .hasMessageContaining("cropKey");
    }

    @Test
    void unknownFieldsAreTolerated() {
        String json = new String(FaceCropped.CODEC.encode(face()), StandardCharsets.UTF_8)
                .replace("{\"schemaVersion\":1,", "{\"schemaVersion\":1,\"addedLater\":[1,2],");
        assertThat(FaceCropped.CODEC.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(face());
    }

    @Test
    void missingOrUnknownSchemaVersionIsRejected() {
        String json = new String(FaceCropped.CODEC.encode(face()), StandardCharsets.UTF_8);
        assertRejected(FaceCropped.CODEC, json.replace("\"schemaVersion\":1,", ""),
                "faces.cropped: schemaVersion is missing");
        assertRejected(FaceCropped.CODEC, json.replace("\"schemaVersion\":1", "\"schemaVersion\":2"),
                "faces.cropped: unsupported schemaVersion 2 (supported: [1])");
        assertRejected(FaceCropped.CODEC, json.replace("\"schemaVersion\":1", "\"schemaVersion\":\"1\""),
                "faces.cropped: schemaVersion must be an integer but is \"1\"");
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        String json = new String(FaceCropped.CODEC.encode(face()), StandardCharsets.UTF_8);
        assertRejected(FaceCropped.CODEC, json.replace("\"faceIndex\":2,", ""), "faceIndex");
        assertRejected(FaceCropped.CODEC, json.replace("\"a".repeat(1) + "a".repeat(63), "\"XYZ"),
                "cropSha256 must match");
        assertRejected(FaceCropped.CODEC, json.replace("\"width\":64", "\"width\":0"),
                "box must have a positive size");
        String checkpoint = new String(CheckpointPublished.CODEC.encode(checkpoint()), StandardCharsets.UTF_8);
        assertRejected(CheckpointPublished.CODEC, checkpoint.replace("\"runId\":\"run-20261129\"", "\"runId\":\"../etc\""),
                "runId must match");
        assertRejected(CheckpointPublished.CODEC, checkpoint.replace("\"generatorKey\":\"runs/run-20261129/generators/000001234.pb\",", ""),
                "generatorKey is missing or blank");
    }

    @Test
    void invalidValuesAreNeverEncoded() {
        FaceCropped bad = new FaceCropped(FaceCropped.SCHEMA_VERSION, "raw", "", "e", -1, null, "k", "nothex", null);
        assertThatThrownBy(() -> FaceCropped.CODEC.encode(bad))
                .isInstanceOf(ContractViolationException.class)
                .hasMessageContaining("sourceKey is missing or blank")
                .hasMessageContaining("faceIndex must be >= 0 but is -1")
                .hasMessageContaining("box is missing")
                .hasMessageContaining("croppedAt is missing");
    }

    @Test
    void everyTopicHasADeadLetterTwin() {
        assertThat(Topic.IMAGES_UPLOADED.deadLetterTopicName()).isEqualTo("images.uploaded.dlq");
        assertThat(Topic.FACES_CROPPED.deadLetterTopicName()).isEqualTo("faces.cropped.dlq");
        assertThat(Topic.CHECKPOINTS_PUBLISHED.deadLetterTopicName()).isEqualTo("checkpoints.published.dlq");
    }

    private static void assertRejected(EventCodec<?> codec, String json, String reason) {
        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ContractViolationException.class)
                .hasMessageContaining(reason);
    }
}
