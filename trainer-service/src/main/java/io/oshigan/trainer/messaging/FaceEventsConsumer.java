package io.oshigan.trainer.messaging;

import io.oshigan.contracts.FaceCropped;
import io.oshigan.support.retry.TransientFailureException;
import io.oshigan.support.retry.TransientRetry;
import io.oshigan.trainer.training.TrainerService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code faces.cropped}: each new crop is fetched and queued; it joins the data set at the next epoch boundary.
 * A record that breaks the contract, names a crop that is not in the bucket or one that will not decode, goes to
 * {@code faces.cropped.dlq}; S3 being away is waited out.
 */
@ApplicationScoped
public class FaceEventsConsumer {
    private static final Logger LOG = Logger.getLogger(FaceEventsConsumer.class);
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
        // a missing crop is an answer (dead letter); an unreachable bucket is waited out, in order, however long it
        // takes: a face is never dead-lettered for a reason that passes
        while (true) {
            try {
                retry.run("fetch crop " + face.cropKey(), () -> trainer.offerCrop(face.cropKey()));
                return;
            } catch (TransientFailureException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e; // shutting down: the record is not acknowledged and comes again after the restart
                }
                LOG.warnf("crop %s still cannot be fetched after a round of retries (%s); waiting on", face.cropKey(),
                        e.getMessage());
            }
        }
    }
}
