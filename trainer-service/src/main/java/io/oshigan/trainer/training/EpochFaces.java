package io.oshigan.trainer.training;

import io.oshigan.contracts.CheckpointLayout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The faces of the epoch a checkpoint was taken in, in the order its shuffle goes through, kept in the checkpoint
 * directory ({@link CheckpointLayout#EPOCH_FACES}: gzip text, a crop key a line): a run resumed inside that epoch
 * trains on those faces, not on those the bucket holds by then.
 */
final class EpochFaces {
    private EpochFaces() {
    }

    static void write(Path checkpoint, List<String> keys) {
        Path file = checkpoint.resolve(CheckpointLayout.EPOCH_FACES);
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
            for (String key : keys) {
                out.write(key);
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " failed", e);
        }
    }

    /**
     * The faces kept in {@code checkpoint}; empty where it keeps none (taken at an epoch's start, or before they were
     * kept); an empty list where the file cannot be read.
     */
    static Optional<List<String>> read(Path checkpoint) {
        Path file = checkpoint.resolve(CheckpointLayout.EPOCH_FACES);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            return Optional.of(in.lines().filter(line -> !line.isEmpty()).toList());
        } catch (IOException | UncheckedIOException e) {
            // kept but unreadable: no faces match, and the epoch starts over (the weights are what matters); taken for
            // a checkpoint that keeps none, it would train on other faces than the epoch's
            return Optional.of(List.of());
        }
    }
}
