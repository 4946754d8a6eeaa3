package io.oshigan.crop.messaging;

import io.oshigan.contracts.ContractViolationException;
import io.oshigan.contracts.S3EventNotification;
import io.oshigan.crop.domain.ImageRejectedException;
import io.oshigan.crop.domain.UploadEvents;
import io.oshigan.crop.domain.UploadedImage;
import io.oshigan.crop.processing.CropMetrics;
import io.oshigan.crop.processing.UploadHandling;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code images.uploaded} on worker threads (several records at once, bounded by the crop workers). A record
 * that breaks the contract, or names an image that can never be cropped, throws; the channel's dead-letter strategy
 * then moves it unchanged to {@code images.uploaded.dlq} with the reason in its {@code dead-letter-reason} header.
 */
@ApplicationScoped
public class UploadEventsConsumer {
    private final UploadHandling handling;
    private final CropMetrics metrics;

    UploadEventsConsumer(UploadHandling handling, CropMetrics metrics) {
        this.handling = handling;
        this.metrics = metrics;
    }

    @Incoming("images-uploaded")
    @Blocking(ordered = false)
    public void onUploaded(byte[] value) {
        S3EventNotification event;
        try {
            event = S3EventNotification.CODEC.decode(value);
        } catch (ContractViolationException e) {
            metrics.deadLettered("contract-violation");
            throw e;
        }
        List<String> rejections = new ArrayList<>();
        for (UploadedImage image : UploadEvents.createdImages(event)) {
            try {
                handling.handle(image, "event");
            } catch (ImageRejectedException e) {
                metrics.deadLettered(e.reason().label());
                rejections.add(image.bucket() + "/" + image.key() + ": " + e.getMessage());
            }
        }
        if (!rejections.isEmpty()) {
            throw new UploadRejectedException(String.join("; ", rejections));
        }
    }

    /** The dead-letter reason: which objects of the event were refused, and why. */
    public static class UploadRejectedException extends RuntimeException {
        UploadRejectedException(String reason) {
            super(reason);
        }
    }
}
