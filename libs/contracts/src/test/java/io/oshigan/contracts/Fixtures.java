package io.oshigan.contracts;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixtures folder beside the checkout; tests read fixtures in place, never copies. */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String name) {
        String dir = System.getProperty("oshigan.fixtures", "../../../shared/fixtures");
        Path file = Path.of(dir).resolve(name).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("fixture " + file + " not found: the shared fixtures folder must sit "
                    + "beside the checkout (see ../shared/fixtures/README.md), or set -Doshigan.fixtures=DIR");
        }
        return file;
    }
}
