package io.oshigan.trainer.domain;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.DiscriminatorNetwork;
import io.oshigan.dcgan.GeneratorNetwork;

import java.util.Optional;

/**
 * The memory a training step takes outside the heap (TensorFlow's activations, their gradients, batch-norm
 * intermediates; the weights with their gradients and optimizer state), estimated from the activations of one image
 * through G and D and from the weights, so that settings a machine cannot hold
 * are refused with the reason instead of ending the process (native memory is past -XX:+ExitOnOutOfMemoryError: the
 * kernel or the container kills it, and a restart resumes the same run into the same end).
 */
public final class StepMemory {
    /**
     * Bytes a step holds per activation value of one image: 6.1 measured (trainer bench, reference size, fp32: the
     * process grew 423 MB from batch 64 to 128, 64 images of 273k activations), taken as 8 for a third of margin.
     */
    static final int BYTES_PER_ACTIVATION = 4 * 8;
    /**
     * Bytes a step holds per weight, whatever the batch (so the measured factor above, a difference of two batches,
     * leaves them out): the weight, its gradient, Adam's two moments, the moving average's copy (4 bytes each) and bf16
     * copies (2 + 2).
     */
    static final int BYTES_PER_WEIGHT = 5 * 4 + 2 * 2;

    private StepMemory() {
    }

    /** Estimated bytes of a step at {@code batch}: its weights' share and the activations of the batch. */
    public static long estimate(Architecture a, int batch) {
        return weights(a) + perImage(a) * batch;
    }

    private static long perImage(Architecture a) {
        return activations(a) * BYTES_PER_ACTIVATION;
    }

    /** Bytes of G's and D's weights and what the step keeps of each. */
    static long weights(Architecture a) {
        return (GeneratorNetwork.parameters(a) + DiscriminatorNetwork.parameters(a)) * BYTES_PER_WEIGHT;
    }

    /** Values one image leaves in G's and D's layer outputs (G: 4, 8, 16, 32 and 96 px; D: 32, 16, 8, 4 and 1 px). */
    static long activations(Architecture a) {
        long g = 16L * a.ngf() * 8 + 64L * a.ngf() * 4 + 256L * a.ngf() * 2 + 1024L * a.ngf() + Architecture.imageValues();
        long d = 1024L * a.ndf() + 256L * a.ndf() * 2 + 64L * a.ndf() * 4 + 16L * a.ndf() * 8 + 1;
        return g + d;
    }

    /** Why a step of {@code settings} does not fit in {@code available} bytes, with the batch that would; else empty. */
    public static Optional<String> refusal(RunSettings settings, long available) {
        Architecture a = settings.architecture();
        long needed = estimate(a, settings.batchSize());
        if (needed <= available) {
            return Optional.empty();
        }
        long largest = Math.max(0, available - weights(a)) / perImage(a);
        String has = available > 0 ? String.format(java.util.Locale.ROOT, "this trainer has %.1f GB for it", available / 1e9)
                : "this trainer has no memory left for it outside its heap";
        return Optional.of(String.format(java.util.Locale.ROOT, "a training step at batch %d with ngf %d, ndf %d needs about %.1f GB of memory; "
                        + "%s (step-memory): %s", settings.batchSize(), a.ngf(), a.ndf(), needed / 1e9, has,
                largest >= 2 ? "use a batch of at most " + largest : "use narrower networks (ngf, ndf), or more memory"));
    }
}
