package io.oshigan.trainer;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.ComputeDevice;
import io.oshigan.dcgan.CudaLibraries;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import io.oshigan.dcgan.TrainingGraph;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trainer's build carries what its profile says, on the classpath Quarkus packages into the image: the CPU build
 * TensorFlow's CPU natives and no CUDA; the {@code -Pgpu} build TensorFlow's GPU natives and every CUDA/cuDNN library
 * TensorFlow 2.18 opens, which really load here (dlopen, seen in /proc/self/maps) without a GPU, after which
 * TensorFlow starts and trains on the CPU. {@code mvn -Pgpu -pl trainer-service -am verify -Dtest=CudaLibrariesTest}.
 */
class CudaLibrariesTest {
    private static final String GPU_CLASSIFIER = "linux-x86_64-gpu";

    @Test
    void theBuildCarriesTheLibrariesItsProfileNamesAndTheyLoad() throws Exception {
        String classifier = System.getProperty("oshigan.tensorflow.classifier");
        assertThat(classifier).as("set by the pom from tensorflow.native.classifier").isIn("linux-x86_64", GPU_CLASSIFIER);
        assertThat(getClass().getClassLoader().getResource("org/tensorflow/internal/c_api/" + classifier
                + "/libtensorflow_cc.so.2")).as("TensorFlow natives " + classifier).isNotNull();

        CudaLibraries.Outcome cuda = CudaLibraries.preload();
        if (!classifier.equals(GPU_CLASSIFIER)) {
            assertThat(CudaLibraries.bundled()).isFalse();
            assertThat(cuda.loaded()).isEmpty();
            return;
        }
        assertThat(cuda.loaded()).extracting(File::getName).containsExactlyElementsOf(CudaLibraries.TENSORFLOW_NEEDS);
        String maps = Files.readString(Path.of("/proc/self/maps"));
        for (File library : cuda.loaded()) {
            assertThat(maps).as("%s mapped into the process", library).contains(library.getAbsolutePath());
        }
        try (TrainingGraph graph = TrainingGraph.builder(new Architecture(8, 4, 4), Hyperparameters.reference())
                .seed(1).threads(new SessionThreads(1, 1)).fixedNoise(2).build(); TFloat32 z = Tensors.of(new float[8], 1, 1, 1, 8)) {
            String device = ComputeDevice.AUTO.check(graph.devices(z));
            assertThat(Files.readString(Path.of("/proc/self/maps"))).as("TensorFlow's GPU build is the one loaded")
                    .contains(GPU_CLASSIFIER + "/libtensorflow_cc.so.2");
            System.out.println("GPU build on this machine: " + cuda.summary() + "; TensorFlow trains on " + device);
        }
    }
}
