package io.oshigan.dcgan;

import io.oshigan.contracts.CheckpointLayout;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The checkpoint directory format:
 * <pre>
 * manifest.json   format version, architecture, hyper-parameters, step, epoch, data-set size, losses (written last)
 * checkpoint/     TensorFlow checkpoint "model.*" of every variable: G, D, running statistics, both Adam states,
 *                 step, epoch, seed, fixed noise; enough to resume exactly
 * generator/      SavedModel of G in inference mode (its weights' moving average when that is on), signature
 *                 serving_default: z [N,1,1,nz] -> image [N,96,96,3]
 * </pre>
 */
public final class Checkpoints {
    public static final String CHECKPOINT_PREFIX = "model";

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    private Checkpoints() {
    }

    /** Writes a complete checkpoint into an empty or new directory and returns its manifest (ordinal 0: unknown). */
    public static CheckpointManifest write(TrainingGraph training, Path directory, long datasetSize, double lossD,
                                           double lossG, Instant now) {
        return write(training, directory, datasetSize, lossD, lossG, now, 0);
    }

    /** As {@link #write(TrainingGraph, Path, long, double, double, Instant)}, the run's {@code ordinal}-th checkpoint. */
    public static CheckpointManifest write(TrainingGraph training, Path directory, long datasetSize, double lossD,
                                           double lossG, Instant now, long ordinal) {
        try {
            Files.createDirectories(directory.resolve(CheckpointLayout.CHECKPOINT_DIR));
            Path prefix = directory.resolve(CheckpointLayout.CHECKPOINT_DIR).resolve(CHECKPOINT_PREFIX);
            training.save(prefix);
            training.exportGenerator(directory.resolve(CheckpointLayout.GENERATOR_DIR));
            TrainingState state = training.state();
            CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.FORMAT_VERSION,
                    training.architecture(), training.hyperparameters(), state.step(), state.epoch(), datasetSize,
                    lossD, lossG, now, ordinal);
            JSON.writeValue(directory.resolve(CheckpointLayout.MANIFEST).toFile(), manifest);
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoint " + directory + " failed", e);
        }
    }

    /** A generator-only checkpoint (an import): G's variables, the SavedModel and the manifest; nothing to resume. */
    public static CheckpointManifest writeGenerator(InferenceGraph generator, Path directory, Instant now) {
        try {
            Files.createDirectories(directory.resolve(CheckpointLayout.CHECKPOINT_DIR));
            generator.save(directory.resolve(CheckpointLayout.CHECKPOINT_DIR).resolve(CHECKPOINT_PREFIX));
            generator.exportSavedModel(directory.resolve(CheckpointLayout.GENERATOR_DIR));
            CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.FORMAT_VERSION, generator.architecture(),
                    Hyperparameters.reference(), 0, 0, 0, 0, 0, now, 0);
            JSON.writeValue(directory.resolve(CheckpointLayout.MANIFEST).toFile(), manifest);
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoint " + directory + " failed", e);
        }
    }

    public static CheckpointManifest readManifest(Path directory) {
        Path file = directory.resolve(CheckpointLayout.MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new IncompatibleCheckpointException(directory + " is not a checkpoint: it has no " + CheckpointLayout.MANIFEST);
        }
        try {
            return parseManifest(Files.readAllBytes(file), directory.toString());
        } catch (IOException e) {
            throw new IncompatibleCheckpointException(file + " is not a readable checkpoint manifest: " + e.getMessage(), e);
        }
    }

    /** A manifest as stored (e.g. read straight from the bucket), checked as {@link #readManifest} checks it. */
    public static CheckpointManifest parseManifest(byte[] json, String where) {
        CheckpointManifest manifest;
        try {
            manifest = JSON.readValue(json, CheckpointManifest.class);
        } catch (IOException e) {
            throw new IncompatibleCheckpointException(where + "/" + CheckpointLayout.MANIFEST + " is not a readable checkpoint manifest: "
                    + e.getMessage(), e);
        }
        if (manifest.formatVersion() != CheckpointManifest.FORMAT_VERSION) {
            throw new IncompatibleCheckpointException(where + " has checkpoint format " + manifest.formatVersion()
                    + "; this version reads format " + CheckpointManifest.FORMAT_VERSION);
        }
        if (manifest.architecture() == null) {
            throw new IncompatibleCheckpointException(where + "/" + CheckpointLayout.MANIFEST + " does not say which architecture it holds");
        }
        return manifest;
    }

    /** Restores everything into a training graph of the same architecture. */
    public static CheckpointManifest restore(TrainingGraph training, Path directory) {
        CheckpointManifest manifest = compatible(directory, training.architecture());
        try {
            training.restore(directory.resolve(CheckpointLayout.CHECKPOINT_DIR).resolve(CHECKPOINT_PREFIX));
        } catch (RuntimeException e) {
            throw new IncompatibleCheckpointException("the TensorFlow checkpoint in " + directory
                    + " does not fit its manifest: " + e.getMessage(), e);
        }
        return manifest;
    }

    /** Loads G from a checkpoint into a new inference graph; the caller closes it. */
    public static InferenceGraph loadGenerator(Path directory, SessionThreads threads) {
        CheckpointManifest manifest = readManifest(directory);
        InferenceGraph generator = new InferenceGraph(manifest.architecture(), threads);
        try {
            generator.restore(directory.resolve(CheckpointLayout.CHECKPOINT_DIR).resolve(CHECKPOINT_PREFIX));
            return generator;
        } catch (RuntimeException e) {
            generator.close();
            throw new IncompatibleCheckpointException("the TensorFlow checkpoint in " + directory
                    + " does not fit its manifest: " + e.getMessage(), e);
        }
    }

    private static CheckpointManifest compatible(Path directory, Architecture expected) {
        CheckpointManifest manifest = readManifest(directory);
        if (!manifest.architecture().equals(expected)) {
            throw new IncompatibleCheckpointException("checkpoint " + directory + " holds a model with nz="
                    + manifest.architecture().nz() + ", ngf=" + manifest.architecture().ngf() + ", ndf="
                    + manifest.architecture().ndf() + "; this model has nz=" + expected.nz() + ", ngf=" + expected.ngf()
                    + ", ndf=" + expected.ndf());
        }
        return manifest;
    }
}
