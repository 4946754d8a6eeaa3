package io.oshigan.dcgan.bench;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Bf16Check;
import io.oshigan.dcgan.CpuFeatures;
import io.oshigan.dcgan.Fp32WeightGradients;
import io.oshigan.dcgan.Precision;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.InferenceGraph;
import io.oshigan.dcgan.ServingGraph;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import io.oshigan.dcgan.TrainingGraph;
import io.oshigan.dcgan.TrainingGraphBuilder;
import org.tensorflow.types.TFloat32;

import java.util.Random;
import java.util.Set;

/**
 * Step and inference times of the reference-size DCGAN on this machine, with the FLOPs behind them, fp32 and bf16
 * timed in alternation so that a ratio is taken within a round (the host's speed drifts). Not a test:
 * run libs/dcgan/bench/run.sh. Usage: DcganBenchmark [intraOpThreads] [peakGflops]
 */
public final class DcganBenchmark {
    /** What to time, {@code -Dbench.parts}: reference (its training steps), demo (the demo width's), serving. */
    private static final Set<String> PARTS = parts(System.getProperty("bench.parts", "reference,demo,serving"));

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
        if (!PARTS.equals(Set.of("serving"))) {
            System.out.println("bf16 check: " + Bf16Check.verdict(arch, sessionThreads, Bf16Check.Scope.TRAINING).detail());
        }
        System.out.println("bf16 check for serving: "
                + Bf16Check.verdict(arch, sessionThreads, Bf16Check.Scope.SERVING).detail());
        String computed = computedIn(arch, sessionThreads, Bf16Check.Scope.SERVING);
        if (PARTS.contains("reference")) {
            trainingRows(arch, "", sessionThreads, peak, 64, 128);
        }
        if (PARTS.contains("demo")) { // the demo's width (./oshigan run --demo): whether its narrow layers gain as much
            Architecture demo = Architecture.demo();
            trainingRows(demo, " demo size (ngf/ndf " + demo.ngf() + ")", sessionThreads, peak, 64);
        }
        if (!PARTS.contains("serving")) {
            return;
        }
        try (InferenceGraph inference = new InferenceGraph(arch, sessionThreads)) {
            inference.initialize();
            try (ServingGraph fp32 = ServingGraph.of(inference, sessionThreads, Precision.FP32);
                 ServingGraph bf16 = ServingGraph.of(inference, sessionThreads, Precision.BF16)) {
                for (int batch : new int[]{1, 16, 64}) {
                    Random random = new Random(batch);
                    double flops = Flops.generatorForward(arch) * batch;
                    Side plain = interleaved(5, 5, generate(inference::generate, random, batch, arch))[0];
                    System.out.printf("java generate batch %d: median %.1f ms, min %.1f ms = %.0f GFLOP/s%s%n", batch,
                            plain.median(), plain.min(), flops / plain.median() / 1e6, ofPeak(flops / plain.median() / 1e6, peak));
                    Side[] sides = interleaved(5, 11, generate(fp32::generate, random, batch, arch),
                            generate(bf16::generate, random, batch, arch));
                    for (Precision precision : Precision.values()) {
                        Side side = sides[precision.ordinal()];
                        System.out.printf("java%s serving graph generate batch %d: median %.1f ms, min %.1f ms = %.0f GFLOP/s%s%s%n",
                                tag(precision), batch, side.median(), side.min(), flops / side.median() / 1e6,
                                ofPeak(flops / side.median() / 1e6, peak), precision == Precision.FP32 ? "" : speedup(sides[0], sides[1]) + computed);
                    }
                }
            }
        }
    }

    /**
     * fp32 and bf16 training steps of {@code arch}, interleaved, one line each per batch size, and a third line timing
     * bf16 with another choice of float32 weight gradients: {@code -Dbench.weightGradients} (NONE, all in bf16, by
     * default; ALL; SMALL_MAPS), where that is not this machine's.
     */
    private static void trainingRows(Architecture arch, String label, SessionThreads sessionThreads, double peak,
                                     int... batches) {
        String computed = computedIn(arch, sessionThreads, Bf16Check.Scope.TRAINING);
        try (TrainingGraph fp32 = training(arch, sessionThreads, Precision.FP32, null);
             TrainingGraph bf16 = training(arch, sessionThreads, Precision.BF16, null);
             TrainingGraph other = bf16.fp32WeightGradients() == COMPARED ? null
                     : training(arch, sessionThreads, Precision.BF16, COMPARED)) {
            // what the bf16 graph computes in after its check, and where its weight gradients are taken
            computed += bf16.fp32WeightGradients().note().replace(" (", "; ").replace(")", "");
            for (int batch : batches) {
                try (TFloat32 real = uniform(new Random(batch), batch, 96, 96, 3)) {
                    Random random = new Random(7);
                    Side[] sides = other == null
                            ? interleaved(2, 3, step(fp32, real, random, arch), step(bf16, real, random, arch))
                            : interleaved(2, 3, step(fp32, real, random, arch), step(bf16, real, random, arch),
                            step(other, real, random, arch));
                    double flops = Flops.trainingStep(arch) * batch;
                    if (other != null) {
                        System.out.printf("java%s bf16 with fp32 weight gradients %s train step batch %d: median %.0f ms, min %.0f ms%s; the chosen bf16 step (%s) is %s%n",
                                label, COMPARED, batch, sides[2].median(), sides[2].min(), speedup(sides[0], sides[2]),
                                bf16.fp32WeightGradients(), gain(sides[2], sides[1], "this"));
                    }
                    for (Precision precision : Precision.values()) {
                        Side side = sides[precision.ordinal()];
                        // fp32 lines keep their old labels (BENCHMARKS.md's goals parse them); bf16 lines say so
                        System.out.printf("java%s%s train step batch %d: median %.0f ms, min %.0f ms; %.1f GFLOP per step = %.0f GFLOP/s%s%s%n",
                                label, tag(precision), batch, side.median(), side.min(), flops / 1e9, flops / side.median() / 1e6,
                                ofPeak(flops / side.median() / 1e6, peak), precision == Precision.FP32 ? "" : speedup(sides[0], sides[1]) + computed);
                    }
                }
            }
        }
    }

    /** Where bf16 fails its check for {@code arch}, the graphs compute in fp32: the lines say so. */
    private static String computedIn(Architecture arch, SessionThreads sessionThreads, Bf16Check.Scope scope) {
        return Bf16Check.fallback(Precision.BF16, arch, sessionThreads, scope).isPresent()
                ? "; computed in fp32 (bf16 failed its check)" : "";
    }

    /** The choice of float32 weight gradients a third bf16 line times, where it is not this machine's. */
    private static final Fp32WeightGradients COMPARED =
            Fp32WeightGradients.valueOf(System.getProperty("bench.weightGradients", "NONE"));

    /** Rounds in which fp32 and bf16 are timed back to back, each first in turn: the host's speed drifts by minutes. */
    static final int ROUNDS = 5;

    /** One precision's times: the median of its round medians, its fastest run, and each round's median. */
    private record Side(double median, double min, double[] rounds) {
    }

    private static String tag(Precision precision) {
        return precision == Precision.FP32 ? "" : " " + precision;
    }

    /** bf16's speed-up over fp32, as its lines end. */
    private static String speedup(Side fp32, Side bf16) {
        return "; " + gain(fp32, bf16, "fp32");
    }

    /**
     * {@code faster}'s speed-up over {@code base} (named {@code over}): the median over rounds of their round medians'
     * ratio, and each round's.
     */
    private static String gain(Side base, Side faster, String over) {
        double[] ratios = new double[ROUNDS];
        StringBuilder each = new StringBuilder();
        for (int r = 0; r < ROUNDS; r++) {
            ratios[r] = base.rounds()[r] / faster.rounds()[r];
            each.append(r == 0 ? "" : " ").append(String.format("%.2f", ratios[r]));
        }
        return String.format("%.2fx %s (rounds: %s)", median(ratios), over, each);
    }

    private static Set<String> parts(String list) {
        Set<String> parts = new java.util.HashSet<>();
        for (String part : list.split(",")) {
            if (!Set.of("reference", "demo", "serving").contains(part.strip())) {
                throw new IllegalArgumentException("bench.parts: reference, demo or serving, not '" + part + "'");
            }
            parts.add(part.strip());
        }
        return parts;
    }

    /** {@code weightGradients} null: this machine's choice. */
    private static TrainingGraph training(Architecture arch, SessionThreads threads, Precision precision,
                                          Fp32WeightGradients weightGradients) {
        TrainingGraphBuilder builder = TrainingGraph.builder(arch, Hyperparameters.reference().in(precision)).seed(1).threads(threads);
        return (weightGradients == null ? builder : builder.fp32WeightGradients(weightGradients)).build();
    }

    private static Runnable step(TrainingGraph training, TFloat32 real, Random random, Architecture arch) {
        long batch = real.shape().size(0);
        return () -> {
            try (TFloat32 z1 = gaussian(random, batch, 1, 1, arch.nz()); TFloat32 z2 = gaussian(random, batch, 1, 1, arch.nz())) {
                training.trainDiscriminator(real, z1);
                training.trainGenerator(z2);
            }
        };
    }

    private static Runnable generate(java.util.function.Function<TFloat32, float[]> generator, Random random, int batch,
                                     Architecture arch) {
        return () -> {
            try (TFloat32 z = gaussian(random, batch, 1, 1, arch.nz())) {
                generator.apply(z);
            }
        };
    }

    /** Warm-up runs of each, then {@link #ROUNDS} rounds of {@code runs} timed runs of each, each first in turn. */
    private static Side[] interleaved(int warmup, int runs, Runnable... work) {
        for (Runnable w : work) {
            for (int i = 0; i < warmup; i++) {
                w.run();
            }
        }
        double[][] rounds = new double[work.length][ROUNDS];
        double[] min = new double[work.length];
        java.util.Arrays.fill(min, Double.MAX_VALUE);
        for (int r = 0; r < ROUNDS; r++) {
            for (int k = 0; k < work.length; k++) {
                int which = (r + k) % work.length;
                double[] ms = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long start = System.nanoTime();
                    work[which].run();
                    ms[i] = (System.nanoTime() - start) / 1e6;
                    min[which] = Math.min(min[which], ms[i]);
                }
                rounds[which][r] = median(ms);
            }
        }
        Side[] sides = new Side[work.length];
        for (int k = 0; k < work.length; k++) {
            sides[k] = new Side(median(rounds[k]), min[k], rounds[k]);
        }
        return sides;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String ofPeak(double gflops, double peak) {
        return Double.isNaN(peak) ? "" : String.format(" (%.0f%% of the %.0f GFLOP/s peak)", 100 * gflops / peak, peak);
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
