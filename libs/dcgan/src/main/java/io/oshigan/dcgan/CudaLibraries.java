package io.oshigan.dcgan;

import org.bytedeco.javacpp.Loader;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/**
 * NVIDIA's CUDA and cuDNN libraries for TensorFlow's GPU natives, which carry none: the {@code -Pgpu} build ships
 * NVIDIA's redistributable libraries from Maven Central ({@value #ARTIFACT}), and this class unpacks them into
 * JavaCPP's cache and loads them, in dependency order, before TensorFlow starts. TensorFlow then opens them by their
 * sonames ({@code dlopen("libcudart.so.12")} finds the library already loaded), whatever the base image and library
 * path. Only the node's driver ({@code libcuda.so.1}, mounted by the NVIDIA container runtime) must come from outside.
 * Nothing here needs a GPU: on a machine without one the libraries load and TensorFlow runs on the CPU.
 */
public final class CudaLibraries {
    public static final String ARTIFACT = "org.bytedeco:cuda:12.6-9.5-1.5.11:linux-x86_64-redist";
    private static final String FOLDER = "org/bytedeco/cuda/linux-x86_64/";
    /**
     * What TensorFlow 2.18 opens (CUDA 12 runtime, math libraries, cuDNN 9; NVRTC for cuDNN's runtime-compiled fusion
     * engines), each after what it needs. NCCL is for several GPUs only.
     */
    public static final List<String> TENSORFLOW_NEEDS = List.of(
            "libcudart.so.12", "libnvJitLink.so.12", "libcublasLt.so.12", "libcublas.so.12", "libcufft.so.11",
            "libcusparse.so.12", "libcusolver.so.11", "libcupti.so.12",
            "libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9", "libcudnn_adv.so.9",
            "libcudnn_heuristic.so.9", "libcudnn_engines_runtime_compiled.so.9", "libcudnn_engines_precompiled.so.9",
            "libcudnn.so.9", "libnvrtc-builtins.so.12.6", "libnvrtc.so.12");

    /** What {@link #preload()} found: the files loaded, or why none were. */
    public record Outcome(List<File> loaded, String summary) {
        public boolean available() {
            return !loaded.isEmpty();
        }
    }

    private static Outcome outcome;

    private CudaLibraries() {
    }

    /** True when this build carries the libraries (the {@code -Pgpu} build). */
    public static boolean bundled() {
        return resource(TENSORFLOW_NEEDS.get(0)) != null;
    }

    /**
     * Loads the libraries once per JVM; call before the first use of TensorFlow. A CPU build has none and loads none.
     * @throws IllegalStateException a GPU build whose libraries are incomplete or do not load (the message says which)
     */
    public static synchronized Outcome preload() {
        if (outcome != null) {
            return outcome;
        }
        if (!bundled()) {
            outcome = new Outcome(List.of(), "no CUDA libraries in this build (CPU build; -Pgpu bundles " + ARTIFACT + ")");
            return outcome;
        }
        List<File> loaded = new ArrayList<>();
        for (String name : TENSORFLOW_NEEDS) {
            URL url = resource(name);
            if (url == null) {
                throw new IllegalStateException("the GPU build lacks " + FOLDER + name + " of " + ARTIFACT);
            }
            try {
                File file = Loader.cacheResource(url);
                System.load(file.getAbsolutePath());
                loaded.add(file);
            } catch (IOException | UnsatisfiedLinkError e) {
                throw new IllegalStateException("CUDA library " + name + " does not load: " + e.getMessage(), e);
            }
        }
        outcome = new Outcome(List.copyOf(loaded), loaded.size() + " CUDA 12.6 / cuDNN 9.5 libraries loaded from "
                + loaded.get(0).getParent());
        return outcome;
    }

    private static URL resource(String name) {
        return CudaLibraries.class.getClassLoader().getResource(FOLDER + name);
    }
}
