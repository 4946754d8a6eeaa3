package io.oshigan.dcgan.bench;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Bf16Check;
import io.oshigan.dcgan.CpuFeatures;
import io.oshigan.dcgan.Precision;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.InferenceGraph;
import io.oshigan.dcgan.ServingGraph;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import io.oshigan.dcgan.TrainingGraph;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Step and inference times of the reference-size DCGAN on this machine, with the FLOPs behind them. Not a test:
 * run libs/dcgan/bench/run.sh. Usage: DcganBenchmark [intraOpThreads] [peakGflops]
 */
public final class DcganBenchmark {
    private DcganBenchmark() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        double peak = args.length > 1 ? Double.parseDouble(args[1]) : Double.NaN;
        Architecture arch = Architecture.reference();
        SessionThreads sessionThreads = new SessionThreads(threads, threads == 0 ? 0 : 1);
        System.out.println("cpu: " + CpuFeatures.ofThisMachine().describe());
        System.out.printf("tensorflow java, intra-op threads %s; FLOPs per image: G forward %.1f M, D forward %.1f M%n",
                threads == 0 ? "default" : threads, Flops.generatorForward(arch) / 1e6, Flops.discriminatorForward(arch) / 1e6);
        java.util.Map<String, Double> fp32 = new java.util.HashMap<>();
        for (Precision precision : Precision.values()) {
            // fp32 lines keep their old labels (BENCHMARKS.md's goals parse them); bf16 lines say so and compare
            String tag = precision == Precision.FP32 ? "" : " " + precision;
            if (precision == Precision.BF16) {
                System.out.println("bf16 check: " + Bf16Check.verdict(arch, sessionThreads).detail());
            }
            // where bf16 fails its check, the graphs compute in fp32: the lines say so
            String computed = Bf16Check.fallback(precision, arch, sessionThreads).isPresent()
                    ? "; computed in fp32 (bf16 failed its check)" : "";
            try (TrainingGraph training = TrainingGraph.builder(arch, Hyperparameters.reference().in(precision))
                    .seed(1).threads(sessionThreads).build()) {
                for (int batch : new int[]{64, 128}) {
                    try (TFloat32 real = uniform(new Random(batch), batch, 96, 96, 3)) {
                        Random random = new Random(7);
                        double[] ms = time(2, 5, () -> {
                            try (TFloat32 z1 = gaussian(random, batch, 1, 1, arch.nz()); TFloat32 z2 = gaussian(random, batch, 1, 1, arch.nz())) {
                                training.trainDiscriminator(real, z1);
                                training.trainGenerator(z2);
                            }
                        });
                        double flops = Flops.trainingStep(arch) * batch;
                        System.out.printf("java%s train step batch %d: median %.0f ms, min %.0f ms; %.1f GFLOP per step = %.0f GFLOP/s%s%s%n",
                                tag, batch, ms[0], ms[1], flops / 1e9, flops / ms[0] / 1e6, ofPeak(flops / ms[0] / 1e6, peak),
                                speedup(fp32, "train " + batch, ms[0], precision) + computed);
                    }
                }
            }
            try (InferenceGraph inference = new InferenceGraph(arch, sessionThreads)) {
                inference.initialize();
                try (ServingGraph serving = ServingGraph.of(inference, sessionThreads, precision)) {
                    if (precision == Precision.FP32) {
                        timeGenerator("java generate", inference::generate, arch, peak, fp32, precision, "");
                    }
                    timeGenerator("java" + tag + " serving graph generate", serving::generate, arch, peak, fp32, precision,
                            computed);
                }
            }
        }
    }

    /** Remembers fp32's time; for bf16, how many times faster it is than fp32. */
    private static String speedup(java.util.Map<String, Double> fp32, String key, double ms, Precision precision) {
        if (precision == Precision.FP32) {
            fp32.put(key, ms);
            return "";
        }
        return String.format("; %.2fx fp32", fp32.get(key) / ms);
    }

    private static void timeGenerator(String label, java.util.function.Function<TFloat32, float[]> generator,
                                      Architecture arch, double peak, java.util.Map<String, Double> fp32,
                                      Precision precision, String suffix) {
        for (int batch : new int[]{1, 16, 64}) {
            Random random = new Random(batch);
            double[] ms = time(5, 20, () -> {
                try (TFloat32 z = gaussian(random, batch, 1, 1, arch.nz())) {
                    generator.apply(z);
                }
            });
            double flops = Flops.generatorForward(arch) * batch;
            String key = label.contains("serving") ? "serve " + batch : "generate " + batch;
            System.out.printf("%s batch %d: median %.1f ms, min %.1f ms = %.0f GFLOP/s%s%s%s%n", label, batch, ms[0], ms[1],
                    flops / ms[0] / 1e6, ofPeak(flops / ms[0] / 1e6, peak), speedup(fp32, key, ms[0], precision), suffix);
        }
    }

    private static String ofPeak(double gflops, double peak) {
        return Double.isNaN(peak) ? "" : String.format(" (%.0f%% of the %.0f GFLOP/s peak)", 100 * gflops / peak, peak);
    }

    /** Median and minimum milliseconds over timed runs after warm-up runs. */
    private static double[] time(int warmup, int runs, Runnable work) {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            ms.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(ms);
        return new double[]{ms.get(ms.size() / 2), ms.get(0)};
    }

    private static TFloat32 gaussian(Random random, long... shape) {
        float[] values = new float[(int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensors.of(values, shape);
    }

    private static TFloat32 uniform(Random random, long... shape) {
        float[] values = new float[(int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        return Tensors.of(values, shape);
    }
}
