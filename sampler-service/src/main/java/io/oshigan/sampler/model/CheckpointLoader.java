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
        DiscriminatorGraph graph = new DiscriminatorGraph(version.architecture(), SessionThreads.defaults());
        try {
            checkpoints.download(id.run(), id.step(), local, CheckpointLayout.CHECKPOINT_DIR);
            graph.restore(local.resolve(CheckpointLayout.CHECKPOINT_DIR).resolve(Checkpoints.CHECKPOINT_PREFIX));
            return graph;
        } catch (RuntimeException e) {
            graph.close();
            throw new NoModelException("version " + id + " has no discriminator to rank with (an imported "
                    + "generator, or its checkpoint lacks D): " + e.getMessage().lines().findFirst().orElse(""), true);
        } finally {
            LocalFiles.deleteQuietly(local);
        }
    }

    private Path workCopy(VersionId id, String suffix) {
        return Path.of(config.workDir(), id.run() + "-" + id.step() + suffix + "-" + System.nanoTime());
    }
}
