package io.oshigan.trainer.bench;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.ComputeDevice;
import io.oshigan.dcgan.CudaLibraries;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import io.oshigan.dcgan.TrainingGraph;
import io.oshigan.trainer.domain.RunRandom;
import org.tensorflow.types.TFloat32;

/**
 * The GPU trainer's smoke check (trainer-service/bench/gpu-smoke.sh, {@code -Pgpu} build): CUDA loads, the graph is
 * placed on the device asked for ({@code gpu} fails fast on a machine without one), G's output on that device
 * matches the CPU's from the same seed, and the reference-size training step is timed there. Exit 1 on a failure.
 */
public final class GpuSmoke {
    private static final int BATCH = 64;
    private static final int STEPS = 20;
    private static final float PARITY = 1e-3f;

    private GpuSmoke() {
    }

    public static void main(String[] args) {
        ComputeDevice wanted = ComputeDevice.valueOf(args.length > 0 ? args[0].toUpperCase() : "GPU");
        System.out.println("CUDA: " + CudaLibraries.preload().summary());
        Architecture arch = Architecture.reference();
        float[] noise = RunRandom.noiseForDiscriminatorStep(7, 0, BATCH, arch.nz());
        float[] real = new float[BATCH * 96 * 96 * 3];
        try (TrainingGraph device = TrainingGraph.builder(arch, Hyperparameters.reference())
                .seed(7).threads(wanted.apply(SessionThreads.defaults())).build();
             TrainingGraph cpu = TrainingGraph.builder(arch, Hyperparameters.reference())
                     .seed(7).threads(SessionThreads.defaults().onCpuOnly()).build();
             TFloat32 z = Tensors.of(noise, BATCH, 1, 1, arch.nz());
             TFloat32 images = Tensors.of(real, BATCH, 96, 96, 3)) {
            String used;
            try {
                used = wanted.check(device.devices(z));
            } catch (IllegalStateException e) {
                System.out.println("FAILED: " + e.getMessage());
                System.exit(1);
                return;
            }
            System.out.println("device=" + wanted.name().toLowerCase() + ": the graph runs on " + used);
            float[] a = device.generate(z);
            float[] b = cpu.generate(z);
            float max = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
            System.out.printf("parity: G output on %s vs CPU, same seed: max |diff| %.2e (limit %.0e)%n", used, max, PARITY);
            for (int i = 0; i < 3; i++) {
                device.trainDiscriminator(images, z);
                device.trainGenerator(z);
            }
            long start = System.nanoTime();
            for (int i = 0; i < STEPS; i++) {
                device.trainDiscriminator(images, z);
                device.trainGenerator(z);
            }
            double ms = (System.nanoTime() - start) / 1e6 / STEPS;
            System.out.printf("training step (D + G), batch %d, reference size, on %s: %.1f ms = %.0f images/s%n",
                    BATCH, used, ms, BATCH * 1000 / ms);
            if (max > PARITY) {
                System.out.println("FAILED: parity");
                System.exit(1);
            }
        }
    }
}
