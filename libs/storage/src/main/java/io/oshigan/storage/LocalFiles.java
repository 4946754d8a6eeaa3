package io.oshigan.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Local scratch directories that checkpoints pass through on their way to or from the bucket. */
public final class LocalFiles {
    private LocalFiles() {
    }

    /** Deletes a directory tree; a leftover temporary folder is harmless, so failures are ignored. */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // nothing to do: the folder is temporary
        }
    }
}
