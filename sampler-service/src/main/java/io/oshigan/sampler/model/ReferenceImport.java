package io.oshigan.sampler.model;

import io.oshigan.contracts.CheckpointLayout;
import io.oshigan.contracts.CheckpointPublished;
import io.oshigan.dcgan.CheckpointManifest;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.pytorch.PyTorchImport;
import io.oshigan.sampler.config.SamplerConfig;
import io.oshigan.storage.CheckpointStore;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Imports a reference {@code model_G_<n>.pth} as a new version of a run: converted, stored like a trained checkpoint,
 * and announced on {@code checkpoints.published}, so every sampler serves it.
 */
@ApplicationScoped
public class ReferenceImport {
    private final CheckpointStore checkpoints;
    private final SamplerConfig config;
    private final MutinyEmitter<byte[]> published;

    ReferenceImport(CheckpointStore checkpoints, SamplerConfig config,
                    @Channel("checkpoints-announce") MutinyEmitter<byte[]> published) {
        this.checkpoints = checkpoints;
        this.config = config;
        this.published = published;
    }

    /**
     * @param runId an import run ({@code import-*}): never a training run, whose resume would meet a generator-only
     *              checkpoint
     * @return the new version, run@step
     */
    public String importPth(String runId, InputStream pth) throws IOException {
        if (!io.oshigan.storage.ObjectKeys.isImportRun(runId)) {
            throw new IllegalArgumentException("imports go to runs named " + io.oshigan.storage.ObjectKeys.IMPORT_RUN_PREFIX
                    + "*, not to " + runId);
        }
        Path dir = Files.createDirectories(Path.of(config.workDir())).resolve("import-" + System.nanoTime());
        try {
            CheckpointManifest manifest = PyTorchImport.toCheckpoint(pth, config.importMaxSize().asLongValue(), dir, Instant.now());
            String prefix;
            long step;
            synchronized (this) {
                // the import's time in milliseconds, past the run's newest: two imports on two replicas would need
                // the same millisecond to meet, and one replica's imports are serial here
                List<Long> existing = checkpoints.completeCheckpoints(runId);
                step = Math.max(System.currentTimeMillis(), existing.isEmpty() ? 0 : existing.get(existing.size() - 1) + 1);
                prefix = checkpoints.uploadCheckpoint(runId, step, dir);
            }
            CheckpointPublished event = new CheckpointPublished(CheckpointPublished.SCHEMA_VERSION, runId, 0, step, prefix,
                    prefix + CheckpointLayout.GENERATOR_DIR + "/", null, new CheckpointPublished.Losses(0, 0), 0, manifest.createdAt());
            published.sendMessageAndAwait(Message.of(CheckpointPublished.CODEC.encode(event))
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(runId).build()));
            return new io.oshigan.storage.VersionId(runId, step).toString();
        } finally {
            io.oshigan.storage.LocalFiles.deleteQuietly(dir);
        }
    }
}
