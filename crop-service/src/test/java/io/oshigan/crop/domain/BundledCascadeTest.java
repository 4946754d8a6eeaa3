package io.oshigan.crop.domain;

import io.oshigan.storage.ObjectKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The build puts the reference cascade into the service; it is written out verified and a detector loads it. */
class BundledCascadeTest {

    @Test
    void theBuiltInCascadeIsTheReferenceAndLoads(@TempDir Path dir) throws Exception {
        Path file = BundledCascade.extractTo(dir).orElseThrow(() -> new AssertionError(
                BundledCascade.RESOURCE + " is not in this build (crop-service/pom.xml, oshigan.cascade.dir)"));
        assertThat(ObjectKeys.sha256Hex(Files.readAllBytes(file))).isEqualTo(FaceDetector.CASCADE_SHA256);
        assertThat(new FaceDetector(file, DetectionParams.reference()).params()).isEqualTo(DetectionParams.reference());
    }
}
