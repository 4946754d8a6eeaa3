package io.oshigan.crop.processing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Supplier;

/** The crop-service's own metrics, under oshigan_crop_* at /q/metrics. */
@ApplicationScoped
public class CropMetrics {
    private final MeterRegistry registry;
    private final Counter faces;
    private final Timer processing;

    CropMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.faces = Counter.builder("oshigan.crop.faces").description("Faces found and stored").register(registry);
        this.processing = Timer.builder("oshigan.crop.processing")
                .description("Time to fetch, decode, detect, crop and store one upload")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void image(String outcome) {
        Counter.builder("oshigan.crop.images").description("Uploads handled, by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    public void faces(int count) {
        faces.increment(count);
    }

    public void deadLettered(String reason) {
        Counter.builder("oshigan.crop.dead.lettered").description("Records sent to images.uploaded.dlq, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    public <T> T timeProcessing(Supplier<T> work) {
        return processing.record(work);
    }
}
