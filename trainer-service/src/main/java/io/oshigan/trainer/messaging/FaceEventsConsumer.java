package io.oshigan.trainer.messaging;

import io.oshigan.contracts.FaceCropped;
import io.oshigan.trainer.training.TrainerService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code faces.cropped}: each new crop is fetched and queued; it joins the data set at the next epoch boundary.
 * A record that breaks the contract, or names a crop that is not in the bucket, goes to {@code faces.cropped.dlq}.
 */
@ApplicationScoped
public class FaceEventsConsumer {
    private final TrainerService trainer;

    FaceEventsConsumer(TrainerService trainer) {
        this.trainer = trainer;
    }

    @Incoming("faces-cropped")
    @Blocking
    public void onFace(byte[] value) {
        FaceCropped face = FaceCropped.CODEC.decode(value);
        trainer.offerCrop(face.cropKey());
    }
}
