package io.oshigan.crop.messaging;

import io.oshigan.contracts.FaceCropped;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Announces stored crops on {@code faces.cropped}, keyed by crop key, and waits for the broker's acknowledgement. */
@ApplicationScoped
public class FaceEventPublisher {
    private final MutinyEmitter<byte[]> emitter;

    FaceEventPublisher(@Channel("faces-cropped") MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public void publish(FaceCropped event) {
        emitter.sendMessageAndAwait(Message.of(FaceCropped.CODEC.encode(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.cropKey()).build()));
    }
}
