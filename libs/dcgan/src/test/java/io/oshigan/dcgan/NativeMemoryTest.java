package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.oshigan.dcgan.NetworkShapesAndGradientsTest.noise;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tensors, results and sessions live in native memory, which the JVM heap does not bound: a leak shows only in the
 * process size. After warming up, 1,000 inference calls and 200 training steps must leave the resident set flat.
 * The module's tests run with a pre-touched, fixed-size heap (see the pom), so heap growth does not hide or fake a leak.
 * (A copy into a tensor made with {@code TFloat32.tensorOf(shape)} leaked its whole size on every call in TF Java
 * 1.1.0; results are copied into Java arrays instead.)
 */
class NativeMemoryTest {
    /** Allocator arenas settle in steps; a leak of one small tensor per call would add far more than this. */
    static final long ALLOWED_GROWTH_MB = 48;

    @Test
    void inferenceAndTrainingKeepTheResidentSetFlat() {
        Architecture small = NetworkShapesAndGradientsTest.SMALL;
        try (InferenceGraph inference = new InferenceGraph(small, SessionThreads.defaults());
             TrainingGraph training = TrainingGraph.builder(small, Hyperparameters.reference())
                     .seed(3).threads(SessionThreads.defaults()).fixedNoise(4).build();
             TFloat32 real = noise(4, 1, 96, 96, 3)) {
            inference.initialize();
            runInference(inference, 100);
            train(training, real, 20);
            long before = residentMb();
            runInference(inference, 1_000);
            long afterInference = residentMb();
            train(training, real, 200);
            long afterTraining = residentMb();
            System.out.printf("native memory: RSS %d MB after warm-up, %d MB after 1000 inference calls, %d MB after 200 training steps%n",
                    before, afterInference, afterTraining);
            assertThat(afterInference - before).isLessThan(ALLOWED_GROWTH_MB);
            assertThat(afterTraining - before).isLessThan(ALLOWED_GROWTH_MB);
        }
    }

    private static void runInference(InferenceGraph inference, int calls) {
        for (int i = 0; i < calls; i++) {

            try (TFloat32 z = noise(4, i)) {
                assertThat(inference.generate(z)).hasSize(4 * 96 * 96 * 3);
            }
        }
    }

    private static void train(TrainingGraph training, TFloat32 real, int steps) {
        for (int i = 0; i < steps; i++) {
            try (TFloat32 z = noise(4, i)) {
                training.trainDiscriminator(real, z);
                if (i % 2 == 1) {
                    training.trainGenerator(z);
                }
            }
        }
    }

    static long residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
