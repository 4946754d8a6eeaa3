package io.oshigan.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared fixtures folder ({@code ../shared/fixtures} beside the checkout). Tests read fixtures in place and
 * never copy them. The build passes the folder as {@code -Doshigan.fixtures}; otherwise the nearest
 * {@code shared/fixtures} above the working directory is used.
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path path(String name) {
        Path file = directory().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("fixture " + file + " not found (see ../shared/fixtures/README.md)");
        }
        return file;
    }

    public static Path directory() {
        String configured = System.getProperty("oshigan.fixtures");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the shared fixtures folder was not found: it must sit beside the checkout "
                + "as ../shared/fixtures, or be named with -Doshigan.fixtures=DIR");
    }
}
