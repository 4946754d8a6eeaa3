package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComputeDeviceTest {
    private static final String CPU = "/job:localhost/replica:0/task:0/device:CPU:0";
    private static final String GPU = "/job:localhost/replica:0/task:0/device:GPU:0";

    @Test
    void theDeviceUsedIsTheGpuWhenAnyOpRanOnOne() {
        assertThat(ComputeDevice.AUTO.check(Set.of(CPU))).isEqualTo("CPU:0");
        assertThat(ComputeDevice.AUTO.check(Set.of(CPU, GPU))).isEqualTo("GPU:0");
        assertThat(ComputeDevice.GPU.check(Set.of(CPU, GPU))).isEqualTo("GPU:0");
        assertThatThrownBy(() -> ComputeDevice.GPU.check(Set.of(CPU)))
                .hasMessageStartingWith("device=gpu, but TensorFlow placed the graph on [" + CPU + "]: it sees no GPU")
                .hasMessageContaining("no CUDA libraries in this build");
    }

    @Test
    void cpuHidesEveryGpuFromTheSession() {
        SessionThreads threads = new SessionThreads(1, 1);
        assertThat(ComputeDevice.AUTO.apply(threads).config().getDeviceCountMap()).isEmpty();
        assertThat(ComputeDevice.CPU.apply(threads).config().getDeviceCountMap()).containsEntry("GPU", 0);
    }

    @Test
    void aCpuOnlyTrainingGraphRunsAndTracesTheCpu() {
        Architecture small = new Architecture(8, 4, 4);
        try (TrainingGraph graph = TrainingGraph.builder(small, Hyperparameters.reference())
                .seed(1).threads(ComputeDevice.CPU.apply(new SessionThreads(1, 1))).fixedNoise(2).build();
             TFloat32 z = Tensors.of(new float[8], 1, 1, 1, 8)) {
            assertThat(ComputeDevice.CPU.check(graph.devices(z))).isEqualTo("CPU:0");
        }
    }

    @Test
    void aCpuBuildCarriesNoCudaLibrariesAndSaysSo() {
        // the -Pgpu build runs CudaLibrariesTest of trainer-service instead (it bundles them)
        assertThat(CudaLibraries.bundled()).isFalse();
        assertThat(CudaLibraries.preload().available()).isFalse();
        assertThat(CudaLibraries.preload().summary()).startsWith("no CUDA libraries in this build (CPU build");
    }
}
