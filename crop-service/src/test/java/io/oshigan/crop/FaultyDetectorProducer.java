package io.oshigan.crop;

import io.oshigan.crop.config.CropConfig;
import io.oshigan.crop.domain.Box;
import io.oshigan.crop.domain.CropPipeline;
import io.oshigan.crop.domain.DetectionParams;
import io.oshigan.crop.domain.Detector;
import io.oshigan.crop.domain.FaceDetector;
import io.oshigan.crop.domain.ImageDecoder;
import io.oshigan.crop.domain.ImageHeaders;
import io.oshigan.crop.domain.PixelBudget;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.opencv.core.CvException;
import org.opencv.core.Mat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real pipeline with a detector that fails as OpenCV does, chosen by the image's width: {@link #BROKEN_WIDTH}
 * always throws an assertion error (a detector bug on these bytes), {@link #STARVED_WIDTH} runs out of memory on its
 * first try only. Every other image goes to the real cascade. Enabled by {@link PipelineFaultsTest.Faults} only.
 */
@Alternative
public class FaultyDetectorProducer {
    static final int BROKEN_WIDTH = 61;
    static final int STARVED_WIDTH = 67;
    static final AtomicInteger STARVED_TRIES = new AtomicInteger();

    @Produces
    @Singleton
    CropPipeline pipeline(CropConfig config) {
        Detector real = new FaceDetector(Path.of(config.cascade().orElseThrow()), config.detection());
        Detector faulty = new Detector() {
            @Override
            public List<Box> detect(Mat bgr) {
                if (bgr.width() == BROKEN_WIDTH) {
                    throw new CvException("OpenCV(4.9.0) detect.cpp:1: error: (-215:Assertion failed) "
                            + "!features.empty() in function 'detectMultiScale'\n(second line)");
                }
                if (bgr.width() == STARVED_WIDTH && STARVED_TRIES.getAndIncrement() == 0) {
                    throw new CvException("OpenCV(4.9.0) alloc.cpp:73: error: (-4:Insufficient memory) "
                            + "Failed to allocate 1234567 bytes in function 'OutOfMemoryError'\n");
                }
                return real.detect(bgr);
            }

            @Override
            public DetectionParams params() {
                return real.params();
            }
        };
        return new CropPipeline(new ImageHeaders(config.limits()), new ImageDecoder(config.alpha()), faulty,
                new PixelBudget(config.pixelBudget()));
    }
}
