package io.oshigan.crop.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oshigan.contracts.S3EventNotification;
import io.oshigan.crop.domain.UploadEvents;
import io.oshigan.crop.domain.UploadedImage;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Reads {@code images.uploaded}. A record that breaks the contract throws, and the channel's dead-letter strategy
 * moves it to {@code images.uploaded.dlq} with the reason in its {@code dead-letter-reason} header.
 */
@ApplicationScoped
public class UploadEventsConsumer {
    private static final Logger LOG = Logger.getLogger(UploadEventsConsumer.class);

    private final Counter received;

    UploadEventsConsumer(MeterRegistry registry) {
        this.received = Counter.builder("oshigan.uploads.received")
                .description("Images created in the raw bucket, as announced by bucket notifications")
                .register(registry);
    }

    @Incoming("images-uploaded")
    public void onUploaded(byte[] value) {
        List<UploadedImage> images = UploadEvents.createdImages(S3EventNotification.CODEC.decode(value));
        for (UploadedImage image : images) {
            LOG.infof("upload announced: %s/%s (%d bytes, %s)", image.bucket(), image.key(), image.size(),
                    image.contentType());
            received.increment();
        }
    }
}
