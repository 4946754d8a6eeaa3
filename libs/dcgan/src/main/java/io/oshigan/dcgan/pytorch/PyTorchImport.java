package io.oshigan.dcgan.pytorch;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.CheckpointManifest;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.InferenceGraph;
import io.oshigan.dcgan.SessionThreads;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** A reference {@code model_G_<n>.pth} to a generator-only checkpoint directory that the sampler can serve. */
public final class PyTorchImport {
    private PyTorchImport() {
    }

    public static CheckpointManifest toCheckpoint(InputStream pth, Path directory, Instant now) throws IOException {
        return toCheckpoint(pth, StateDictReader.DEFAULT_MAX_BYTES, directory, now);
    }

    /** @param maxBytes see {@link StateDictReader#read(InputStream, long)} */
    public static CheckpointManifest toCheckpoint(InputStream pth, long maxBytes, Path directory, Instant now) throws IOException {
        Map<String, StateDictReader.Tensor> stateDict = StateDictReader.read(pth, maxBytes);
        Architecture architecture = ReferenceGenerator.architecture(stateDict);
        try (InferenceGraph generator = new InferenceGraph(architecture, SessionThreads.defaults())) {
            generator.initialize();
            ReferenceGenerator.load(stateDict, generator);
            return Checkpoints.writeGenerator(generator, directory, now);
        }
    }
}
