package io.oshigan.sampler.model;

import io.oshigan.contracts.CheckpointLayout;
import io.oshigan.dcgan.CheckpointManifest;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.DiscriminatorGraph;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.sampler.config.SamplerConfig;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.LocalFiles;
import io.oshigan.storage.VersionId;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Files;
import java.nio.file.Path;

/** Loads versions from the checkpoints in the models bucket, through a local working copy deleted afterwards. */
@ApplicationScoped
public class CheckpointLoader implements VersionLoader {
    private final CheckpointStore checkpoints;
    private final SamplerConfig config;

    CheckpointLoader(CheckpointStore checkpoints, SamplerConfig config) {
        this.checkpoints = checkpoints;
        this.config = config;
    }

    @Override
    public GeneratorVersion load(VersionId id) {
        Path local = workCopy(id, "");
        try {
            checkpoints.download(id.run(), id.step(), local, CheckpointLayout.GENERATOR_DIR);
            CheckpointManifest manifest = Checkpoints.readManifest(local);
            return GeneratorVersion.load(id, manifest.architecture(), local.resolve(CheckpointLayout.GENERATOR_DIR),
                    new SessionThreads(config.threads().intraOp(), config.threads().interOp()), config.precision(),
                    config.batching().enabled() && config.batching().measure());
        } finally {
            LocalFiles.deleteQuietly(local);
        }
    }

    @Override
    public DiscriminatorGraph loadScorer(GeneratorVersion version) {
        VersionId id = version.versionId();
        Path local = workCopy(id, "-d");
        try {
            try {
                checkpoints.download(id.run(), id.step(), local, CheckpointLayout.CHECKPOINT_DIR);
            } catch (RuntimeException e) { // the bucket, not the version: a later request tries again
                throw new NoModelException("the discriminator of " + id + " could not be read from the models bucket: "
                        + firstLine(e), false);
            }
            // what the checkpoint holds is fixed: a version whose D is missing (an import holds G alone) or unreadable
            // never has one, and the answer is kept
            Path checkpoint = local.resolve(CheckpointLayout.CHECKPOINT_DIR);
            if (!Files.isDirectory(checkpoint)) {
                throw new NoModelException("version " + id + " has no discriminator to rank with (its checkpoint has no "
                        + CheckpointLayout.CHECKPOINT_DIR + ")", true);
            }
            DiscriminatorGraph graph = new DiscriminatorGraph(version.architecture(), SessionThreads.defaults());
            try {
                graph.restore(checkpoint.resolve(Checkpoints.CHECKPOINT_PREFIX));
                return graph;
            } catch (RuntimeException e) {
                graph.close();
                throw new NoModelException("version " + id + " has no discriminator to rank with (an imported "
                        + "generator, or its checkpoint lacks D): " + firstLine(e), true);
            }
        } finally {
            LocalFiles.deleteQuietly(local);
        }
    }

    private static String firstLine(RuntimeException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
    }

    private Path workCopy(VersionId id, String suffix) {
        return Path.of(config.workDir(), id.run() + "-" + id.step() + suffix + "-" + System.nanoTime());
    }
}
