package io.oshigan.crop.config;

import io.oshigan.crop.domain.AlphaMode;
import io.oshigan.crop.domain.DetectionParams;
import io.oshigan.crop.domain.ImageLimits;
import io.oshigan.crop.domain.PixelBudget;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;
import java.util.OptionalInt;

/** Everything the crop-service can be told; environment variables are OSHIGAN_CROP_... */
@ConfigMapping(prefix = "oshigan.crop")
public interface CropConfig {

    /** Path of lbpcascade_animeface.xml; unset: the one built into the service. Checked at start-up. */
    Optional<String> cascade();

    @WithDefault("" + DetectionParams.DEFAULT_SCALE_FACTOR)
    double scaleFactor();

    @WithDefault("" + DetectionParams.DEFAULT_MIN_NEIGHBORS)
    int minNeighbors();

    /** Smallest face side in pixels. */
    @WithDefault("" + DetectionParams.DEFAULT_MIN_SIZE)
    int minSize();

    /** Side of the square crops in pixels. */
    @WithDefault("" + DetectionParams.DEFAULT_CROP_SIZE)
    int cropSize();

    /** Uploads larger than this are refused without being downloaded. */
    @WithDefault("" + ImageLimits.DEFAULT_MAX_BYTES)
    long maxBytes();

    /** Images with more pixels than this are refused from their header, before decoding. */
    @WithDefault("" + ImageLimits.DEFAULT_MAX_PIXELS)
    long maxPixels();

    /**
     * Pixels decoded and searched at once over all workers ({@link PixelBudget#NATIVE_BYTES_PER_PIXEL} bytes of native
     * memory each): a burst of large images waits for room instead of running the pod out of memory. Default: what the
     * memory beside the heap holds ({@link PixelBudget#fitting}), at most two images of max-pixels.
     */
    java.util.OptionalLong pixelsInFlight();

    @WithDefault("drop")
    AlphaMode alpha();

    /**
     * Images processed at the same time; default: one a core, as many as the heap holds at the worst image each
     * ({@link ImageLimits#workers}).
     */
    OptionalInt concurrency();

    Reconcile reconcile();

    interface Reconcile {
        /** How often raw is compared with the manifests; "off" disables the periodic scan. */
        @WithDefault("10m")
        String every();

        /** Wait after start-up before the first scan. */
        @WithDefault("10s")
        String initialDelay();
    }

    default DetectionParams detection() {
        return new DetectionParams(scaleFactor(), minNeighbors(), minSize(), cropSize());
    }

    /** The budget of pixels in flight, configured or what this process's memory beside its heap holds. */
    default long pixelBudget() {
        return pixelsInFlight().orElseGet(() -> PixelBudget.fitting(io.oshigan.support.config.ProcessMemory.total(),
                Runtime.getRuntime().maxMemory(), 2 * maxPixels()));
    }

    /** max-pixels, and no more than the pixel budget: an image that could not fit it alone is refused from its header. */
    default ImageLimits limits() {
        return new ImageLimits(maxBytes(), Math.min(maxPixels(), pixelBudget()));
    }

    default int parallelism() {
        return concurrency().orElse(limits().workers(Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory()));
    }
}
