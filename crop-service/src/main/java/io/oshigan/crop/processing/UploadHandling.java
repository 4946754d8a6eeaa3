package io.oshigan.crop.processing;

import io.oshigan.crop.domain.ImageRejectedException;
import io.oshigan.crop.domain.UploadedImage;
import io.oshigan.support.retry.TransientFailureException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * One upload through the worker limit, with the bookkeeping both entry points share (the Kafka consumer and the
 * reconciliation scan): outcome metrics and one structured log line per upload.
 */
@ApplicationScoped
public class UploadHandling {
    private static final Logger LOG = Logger.getLogger(UploadHandling.class);

    private final UploadProcessor processor;
    private final CropWorkers workers;
    private final CropMetrics metrics;

    UploadHandling(UploadProcessor processor, CropWorkers workers, CropMetrics metrics) {
        this.processor = processor;
        this.workers = workers;
        this.metrics = metrics;
    }

    /**
     * @return the outcome, or empty when transient failures outlasted the retries (left to the next scan)
     * @throws ImageRejectedException the upload can never be cropped
     */
    public java.util.Optional<Outcome> handle(UploadedImage image, String via) {
        long started = System.nanoTime();
        try {
            Outcome outcome = workers.run(() -> processor.process(image));
            metrics.image(outcome.label());
            LOG.infof("crop done via=%s outcome=%s bucket=%s key=\"%s\" etag=%s ms=%d", via, outcome.label(),
                    image.bucket(), image.key(), image.eTag(), (System.nanoTime() - started) / 1_000_000);
            return java.util.Optional.of(outcome);
        } catch (ImageRejectedException e) {
            metrics.image("rejected");
            LOG.warnf("crop rejected via=%s reason=%s bucket=%s key=\"%s\" etag=%s detail=\"%s\"", via,
                    e.reason().label(), image.bucket(), image.key(), image.eTag(), e.getMessage());
            throw e;
        } catch (TransientFailureException e) {
            metrics.image("deferred");
            LOG.errorf("crop deferred via=%s bucket=%s key=\"%s\" etag=%s detail=\"%s\" (the reconciliation scan retries it)",
                    via, image.bucket(), image.key(), image.eTag(), e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
