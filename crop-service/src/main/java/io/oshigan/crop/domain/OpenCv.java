package io.oshigan.crop.domain;

import org.opencv.core.Core;
import org.opencv.core.CvException;

/** Loads OpenCV's native library once per JVM (openpnp ships it inside its jar for the common platforms). */
public final class OpenCv {
    private static boolean loaded;

    private OpenCv() {
    }

    public static synchronized void load() {
        if (!loaded) {
            nu.pattern.OpenCV.loadLocally();
            loaded = true;
        }
    }

    /** Threads OpenCV may use inside one call. One, when images are processed in parallel already. */
    public static void useThreads(int threads) {
        load();
        Core.setNumThreads(threads);
    }

    /** OpenCV's error code -4 ({@code cv::Error::StsNoMem}): an allocation failed, not the data. */
    public static boolean isOutOfMemory(RuntimeException e) {
        return e instanceof CvException && String.valueOf(e.getMessage()).contains("(-4:Insufficient memory)");
    }

    /** The first line of an exception's message (OpenCV's carry a multi-line source location). */
    public static String firstLine(RuntimeException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
}
