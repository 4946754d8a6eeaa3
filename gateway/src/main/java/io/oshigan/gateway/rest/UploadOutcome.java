package io.oshigan.gateway.rest;

import io.oshigan.contracts.CropManifest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What became of one upload, as the page shows it: PENDING until the crop-service has written its manifest, then
 * CROPPED (with each face's crop and box in the picture), NO_FACE, or REJECTED with the reason.
 */
public record UploadOutcome(String key, String eTag, Instant uploadedAt, Long bytes, String status, int faces,
                            String rejectedReason, List<Face> crops) {

    /** One face: its crop (GET /api/dataset/images/crop?key=...) and where it was found in the picture. */
    public record Face(String cropKey, int x, int y, int width, int height) {
    }

    static UploadOutcome of(String key, String eTag, Instant uploadedAt, Long bytes, Optional<CropManifest> manifest) {
        if (manifest.isEmpty()) {
            return new UploadOutcome(key, eTag, uploadedAt, bytes, "PENDING", 0, null, List.of());
        }
        CropManifest m = manifest.get();
        List<Face> faces = m.crops().stream().map(c -> new Face(c.cropKey(), c.box().x(), c.box().y(), c.box().width(),
                c.box().height())).toList();
        return new UploadOutcome(key, eTag, uploadedAt, bytes, m.status().name(), faces.size(), m.rejectedReason(), faces);
    }
}
