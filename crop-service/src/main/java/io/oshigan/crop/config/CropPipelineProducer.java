package io.oshigan.crop.config;

import io.oshigan.crop.domain.BundledCascade;
import io.oshigan.crop.domain.CropPipeline;
import io.oshigan.crop.domain.FaceDetector;
import io.oshigan.crop.domain.ImageDecoder;
import io.oshigan.crop.domain.ImageHeaders;
import io.oshigan.crop.domain.OpenCv;
import io.oshigan.crop.domain.PixelBudget;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;

/** Builds the crop pipeline at start-up, so a missing or broken cascade stops the service with a clear message. */
@ApplicationScoped
public class CropPipelineProducer {
    private static final Logger LOG = Logger.getLogger(CropPipelineProducer.class);

    @Produces
    @Singleton
    @Startup
    CropPipeline pipeline(CropConfig config) {
        String cascade = config.cascade()
                .or(() -> BundledCascade.extractTo(Path.of(System.getProperty("java.io.tmpdir"))).map(Path::toString))
                .orElseThrow(() -> new IllegalStateException("no face cascade configured and none built in: "
                        + FaceDetector.HOW_TO_GET_IT));
        int heapHolds = config.limits().workers(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory());
        if (config.parallelism() > heapHolds) {
            LOG.warnf("concurrency %d: this %d MB heap holds %d images at their worst (%d MB each: max-bytes read twice, "
                    + "a GIF of max-pixels decoded): a burst of large uploads may run it out", config.parallelism(),
                    Runtime.getRuntime().maxMemory() >> 20, heapHolds, config.limits().heapPerImage() >> 20);
        }
        // images run in parallel already; OpenCV's own threads would only fight over the same cores
        OpenCv.useThreads(config.parallelism() > 1 ? 1 : -1);
        FaceDetector detector = new FaceDetector(Path.of(cascade), config.detection());
        long budget = config.pixelBudget();
        if (config.limits().maxPixels() < config.maxPixels()) {
            LOG.warnf("max-pixels %d does not fit the pixel budget of %d (%d MB of native memory at %d bytes a pixel): "
                    + "images over %d pixels are refused; give the process more memory beside its heap",
                    config.maxPixels(), budget, budget * PixelBudget.NATIVE_BYTES_PER_PIXEL >> 20,
                    PixelBudget.NATIVE_BYTES_PER_PIXEL, budget);
        }
        LOG.infof("crop pipeline ready: cascade %s, %s, limits %d bytes / %d pixels, alpha %s, %d in parallel, "
                        + "%d pixels in flight", cascade, config.detection(), config.maxBytes(), config.limits().maxPixels(),
                config.alpha(), config.parallelism(), budget);
        return new CropPipeline(new ImageHeaders(config.limits()), new ImageDecoder(config.alpha()), detector,
                new PixelBudget(budget));
    }
}
