package io.oshigan.dcgan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@link Bf16Check} found: whether bfloat16 outputs agree with float32's within bfloat16's rounding and are the
 * same on a second run, and the measured differences in one line for the log.
 */
public record Bf16Verdict(boolean sound, String detail) {
    /** What the check compares for each layer, in the order it fetches them. */
    static final List<String> KINDS = List.of("forward", "input gradient", "weight gradient");
    /** What it compares for each batch norm, after the layers. */
    static final List<String> NORM_KINDS = List.of("batch norm", "batch norm input gradient");
    /** And for the networks whole, after those. */
    static final List<String> NETWORKS = List.of("G images", "D logits");
    /** And for G as served, last: all a sampler's check compares. */
    static final List<String> SERVED = List.of("served images, batch 1", "served images, batch 16");
    /**
     * Largest relative L2 difference from float32 taken as bfloat16's rounding. Measured on an AMD Zen 4 (AVX-512 BF16)
     * with oneDNN on and off, intra-op threads 1 and all, architectures 8/8 to 128/96 (ngf/ndf): layers at most 3.3%
     * (a weight gradient; the same with both kernel sets), G's images 0.8% with oneDNN and 3.9% with TensorFlow's own
     * kernels, D's logits 1.4%. The bound is 2.6 times the largest. On an AMD Zen 5 (oneDNN on and off, 32/32 and
     * 64/64) layers at most 3.6%, G's images 0.7%, D's logits 0.6%, served images 1.5%.
     */
    static final double MAX_DIFFERENCE = 0.10;
    /** Largest relative L2 difference between two bf16 runs of the same inputs: a sound kernel repeats itself (0 measured). */
    static final double MAX_RERUN_DIFFERENCE = 1e-3;

    /**
     * Each layer's outputs in the order of {@code kinds} ({@link #KINDS} or {@link #NORM_KINDS}): "G1 forward", "G1 input
     * gradient", ...
     */
    static List<String> outputsOf(List<String> layers, List<String> kinds) {
        return layers.stream().flatMap(layer -> kinds.stream().map(kind -> layer + " " + kind)).toList();
    }

    /** Judges the named outputs: float32's, bfloat16's, and bfloat16's again, in the order of the names. */
    static Bf16Verdict judge(List<String> names, float[][] fp32, float[][] bf16, float[][] again) {
        if (fp32.length != names.size() || bf16.length != names.size() || again.length != names.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + fp32.length + ", " + bf16.length + " and "
                    + again.length + " outputs");
        }
        List<String> measured = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!allFinite(bf16[i]) || !allFinite(again[i])) {
                faults.add(name + " not finite");
                continue;
            }
            if (norm(fp32[i]) == 0) {
                faults.add(name + " all zero in fp32: nothing to compare");
                continue;
            }
            double off = relativeDifference(fp32[i], bf16[i]);
            double rerun = relativeDifference(bf16[i], again[i]);
            measured.add(String.format(Locale.ROOT, "%s %.2f%%", name, 100 * off));
            if (!(off <= MAX_DIFFERENCE)) {
                faults.add(String.format(Locale.ROOT, "%s %.1f%% off fp32 (rounding stays under %.0f%%)", name, 100 * off,
                        100 * MAX_DIFFERENCE));
            }
            if (!(rerun <= MAX_RERUN_DIFFERENCE)) {
                faults.add(String.format(Locale.ROOT, "%s %.2f%% different on a second run of the same inputs", name,
                        100 * rerun));
            }
        }
        return faults.isEmpty()
                ? new Bf16Verdict(true, "bf16 agrees with fp32 here: " + String.join(", ", measured))
                : new Bf16Verdict(false, "bf16 is computed wrongly by this runtime on this machine: "
                        + String.join("; ", faults));
    }

    /** ||b - a|| / ||a||. */
    static double relativeDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " values against " + b.length);
        }
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) b[i] - a[i];
            difference += d * d;
            norm += (double) a[i] * a[i];
        }
        return norm == 0 ? (difference == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(difference / norm);
    }

    private static double norm(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return sum;
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
