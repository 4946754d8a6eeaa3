package io.oshigan.sampler.messaging;

import io.oshigan.contracts.CheckpointPublished;
import io.oshigan.sampler.model.ModelRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code checkpoints.published} and hot-swaps to each new generator. A malformed record goes to
 * {@code checkpoints.published.dlq}; a checkpoint that does not load is reported and the current model keeps serving.
 */
@ApplicationScoped
public class CheckpointEventsConsumer {
    private final ModelRegistry models;

    CheckpointEventsConsumer(ModelRegistry models) {
        this.models = models;
    }

    @Incoming("checkpoints-published")
    @Blocking
    public void onCheckpoint(byte[] value) {
        CheckpointPublished checkpoint = CheckpointPublished.CODEC.decode(value);
        models.published(checkpoint.runId(), checkpoint.step());
    }
}
