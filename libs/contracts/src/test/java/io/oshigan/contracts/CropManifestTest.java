package io.oshigan.contracts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The crop manifest: what the crop-service writes is what the gateway and the tests read, and nothing invalid is. */
class CropManifestTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void roundTripsAndKeepsTheStoredFieldNames() {
        CropManifest cropped = CropManifest.of("raw", "uploads/a.png", "e1", List.of(new CropManifest.Entry(0,
                "crops/s/000.png", new FaceCropped.Box(1, 2, 30, 31), "ab".repeat(32))), NOW);
        assertThat(CropManifest.CODEC.decode(CropManifest.CODEC.encode(cropped))).isEqualTo(cropped);
        assertThat(new String(CropManifest.CODEC.encode(cropped), StandardCharsets.UTF_8))
                .contains("\"schemaVersion\":1", "\"sourceKey\":\"uploads/a.png\"", "\"status\":\"CROPPED\"",
                        "\"box\":{\"x\":1,\"y\":2,\"width\":30,\"height\":31}", "\"processedAt\":\"2026-12-01T10:00:00Z\"");
        CropManifest rejected = CropManifest.rejected("raw", "b.gif", "e2", "too-many-pixels: GIF frame 0 of ...", NOW);
        assertThat(rejected.rejectedLabel()).isEqualTo("too-many-pixels");
        assertThat(CropManifest.of("raw", "c.png", "e3", List.of(), NOW).status()).isEqualTo(CropManifest.Status.NO_FACE);
    }

    @Test
    void anInvalidManifestIsRefusedWithTheField() {
        String rejectedWithoutReason = "{\"schemaVersion\":1,\"sourceBucket\":\"raw\",\"sourceKey\":\"k\",\"sourceETag\":\"e\","
                + "\"status\":\"REJECTED\",\"crops\":[],\"processedAt\":\"2026-12-01T10:00:00Z\"}";
        assertThatThrownBy(() -> CropManifest.CODEC.decode(rejectedWithoutReason.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ContractViolationException.class).hasMessageContaining("rejectedReason");
        String croppedWithoutCrops = rejectedWithoutReason.replace("REJECTED", "CROPPED");
        assertThatThrownBy(() -> CropManifest.CODEC.decode(croppedWithoutCrops.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ContractViolationException.class).hasMessageContaining("a CROPPED manifest has 0 crops");
    }
}
