package io.oshigan.trainer.messaging;

import io.oshigan.contracts.CheckpointPublished;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Announces complete checkpoints on {@code checkpoints.published}, keyed by run id, and waits for the broker. */
@ApplicationScoped
public class CheckpointEvents {
    private final MutinyEmitter<byte[]> emitter;

    CheckpointEvents(@Channel("checkpoints-published") MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public void publish(CheckpointPublished event) {
        try {
            emitter.sendMessageAndAwait(Message.of(CheckpointPublished.CODEC.encode(event))
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.runId()).build()));
        } catch (RuntimeException e) {
            throw new AnnouncementFailedException("checkpoint " + new io.oshigan.storage.VersionId(event.runId(), event.step()) + " was not announced: "
                    + e.getMessage(), e);
        }
    }

    /** The broker did not take the announcement (unreachable, timed out). */
    public static final class AnnouncementFailedException extends RuntimeException {
        AnnouncementFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
