package io.oshigan.trainer.messaging;

import io.oshigan.contracts.FaceCropped;
import io.oshigan.support.retry.TransientRetry;
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
    private final TransientRetry retry;

    FaceEventsConsumer(TrainerService trainer, TransientRetry retry) {
        this.trainer = trainer;
        this.retry = retry;
    }

    @Incoming("faces-cropped")
    @Blocking
    public void onFace(byte[] value) {
        FaceCropped face = FaceCropped.CODEC.decode(value);
        // a missing crop is an answer (dead letter); an unreachable bucket is waited out, in order
        retry.run("fetch crop " + face.cropKey(), () -> trainer.offerCrop(face.cropKey()));
    }
}
