package io.oshigan.crop.domain;

import org.opencv.core.Core;

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
}
