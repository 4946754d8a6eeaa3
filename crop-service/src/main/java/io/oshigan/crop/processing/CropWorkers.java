package io.oshigan.crop.processing;

import io.oshigan.crop.config.CropConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/** Bounds how many images are processed at once, across the Kafka consumer and the reconciliation scan. */
@ApplicationScoped
public class CropWorkers {
    private final Semaphore permits;
    private final int parallelism;

    CropWorkers(CropConfig config) {
        this.parallelism = config.parallelism();
        this.permits = new Semaphore(parallelism, true);
    }

    public int parallelism() {
        return parallelism;
    }

    public <T> T run(Supplier<T> work) {
        permits.acquireUninterruptibly();
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }
}
