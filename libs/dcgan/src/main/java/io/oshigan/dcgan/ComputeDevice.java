package io.oshigan.dcgan;

import java.util.Set;

/** Where a graph should run: {@code auto} takes a GPU when TensorFlow sees one, {@code cpu} hides GPUs, {@code gpu} demands one. */
public enum ComputeDevice {
    AUTO, CPU, GPU;

    /** The session settings for this choice. */
    public SessionThreads apply(SessionThreads threads) {
        return this == CPU ? threads.onCpuOnly() : threads;
    }

    /**
     * The device a traced run used, short ("GPU:0", "CPU:0"; a GPU when any op ran on one).
     * @throws IllegalStateException {@code gpu} was demanded and TensorFlow placed the graph on the CPU only
     */
    public String check(Set<String> tracedDevices) {
        String used = tracedDevices.stream().filter(d -> d.contains("GPU")).findFirst()
                .or(() -> tracedDevices.stream().findFirst()).map(ComputeDevice::shortName).orElse("unknown");
        if (this == GPU && !used.startsWith("GPU")) {
            throw new IllegalStateException("device=gpu, but TensorFlow placed the graph on " + tracedDevices
                    + ": it sees no GPU (no NVIDIA driver in the pod, no GPU assigned, or a CPU build; "
                    + CudaLibraries.preload().summary() + ")");
        }
        return used;
    }

    private static String shortName(String device) {
        int at = device.indexOf("device:");
        return at < 0 ? device : device.substring(at + "device:".length());
    }
}
