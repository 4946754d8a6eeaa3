package io.oshigan.trainer.messaging;

import io.oshigan.storage.StorageException;
import io.oshigan.trainer.domain.Backoff;
import org.jboss.logging.Logger;

import java.time.Duration;

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
    /** How long an unreachable bucket is waited out before the record is dead-lettered. */
    static final Duration RETRY_FOR = Duration.ofMinutes(2);
    private static final Logger LOG = Logger.getLogger(FaceEventsConsumer.class);
    private final TrainerService trainer;

    FaceEventsConsumer(TrainerService trainer) {
        this.trainer = trainer;
    }

    @Incoming("faces-cropped")
    @Blocking
    public void onFace(byte[] value) throws InterruptedException {
        FaceCropped face = FaceCropped.CODEC.decode(value);
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(15));
        long giveUp = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            try {
                trainer.offerCrop(face.cropKey());
                return;
            } catch (StorageException e) {
                // a missing crop is an answer (dead letter); an unreachable bucket is waited out, in order
                if (!e.isRetryable() || System.nanoTime() > giveUp) {
                    throw e;
                }
                long wait = backoff.next();
                LOG.warnf("crop %s not fetched, again in %d ms: %s", face.cropKey(), wait, e.getMessage());
                Thread.sleep(wait);
            }
        }
    }
}
