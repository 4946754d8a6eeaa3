package io.oshigan.crop.domain;

import io.oshigan.storage.ObjectKeys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The reference cascade built into the service (crop-service/pom.xml, {@code oshigan.cascade.dir}), so that a pod
 * needs no download at start. Written to a file for OpenCV, after its sha256 is checked.
 */
public final class BundledCascade {
    static final String RESOURCE = "oshigan/" + FaceDetector.CASCADE_FILE;

    private BundledCascade() {
    }

    /** The bundled cascade as a file in {@code directory}, or empty when this build carries none. */
    public static Optional<Path> extractTo(Path directory) {
        try (InputStream in = BundledCascade.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String sha256 = ObjectKeys.sha256Hex(bytes);
            if (!sha256.equals(FaceDetector.CASCADE_SHA256)) {
                throw new IllegalStateException("the bundled " + RESOURCE + " is not the reference cascade (sha256 "
                        + sha256 + "): " + FaceDetector.HOW_TO_GET_IT);
            }
            Files.createDirectories(directory);
            Path file = Files.createTempFile(directory, "lbpcascade_animeface", ".xml");
            Files.write(file, bytes);
            file.toFile().deleteOnExit();
            return Optional.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bundled cascade to " + directory, e);
        }
    }
}
