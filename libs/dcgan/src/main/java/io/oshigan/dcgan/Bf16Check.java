package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether this process's TensorFlow computes the networks' bfloat16 layers correctly, checked once per architecture,
 * thread setting and {@link Scope} in a process, before anything trains or serves in bf16 with them
 * ({@link Bf16CheckGraph}). For training, each of G's and D's convolutions runs at its own shape on random inputs,
 * forward and both gradients (the kernels a training step runs), each batch norm on bf16 at its own shape, forward and
 * its input gradient, then G and D whole with fresh weights; for training
 * and serving, G as the sampler serves it at batches 1 and 16; each in float32 and in bfloat16 side by side in one
 * graph, bfloat16 twice (the second time in a new session). oneDNN picks kernels by shape, the batch included:
 * training batches other than 16 run kernels this does not run. Some runtimes compute bf16 wrongly on some CPUs: on an
 * AMD Zen 5, TensorFlow 2.18's oneDNN computed the thin layers (1 or 3 input channels to a forward kernel) 40% off
 * float32, different on every run, and a training run went NaN, where a Zen 4 with the same flags was right; those
 * layers now run as convolutions over 32 channels ({@link Layers#thin}) or, where still thin, in float32
 * ({@link Precision#NARROW_CHANNELS}), and pass here on both. PyTorch's and OpenVINO's trackers show the like for
 * oneDNN bf16 on AMD CPUs. Trusting the CPU's flags could train garbage: with this check a runtime that fails trains
 * and serves in float32, saying why.
 */
public final class Bf16Check {
    /** Images per checked training batch: the bf16 tests' batch. */
    static final int BATCH = 16;
    /** Batches of the serving graph checked: one image, as a lone request runs, and a batch. */
    static final int[] SERVING_BATCHES = {1, BATCH};
    private static final long SEED = 20_260_601L;
    private static final Map<Key, Bf16Verdict> VERDICTS = new HashMap<>();

    /** What a process runs in bf16, and so what its check runs. */
    public enum Scope {
        /** A trainer: every convolution's three kernels, each batch norm on bf16, G and D whole, and G as served. */
        TRAINING,
        /**
         * A sampler, which runs no gradients and no D: G as served, at batches 1 and 16. At the demo's width on 2 cores
         * (AMD Zen 5) 0.6 s against the whole check's 3 s, 2.2 s against 6.3 s as a process's first TensorFlow work.
         */
        SERVING
    }

    private record Key(Architecture architecture, SessionThreads threads, Scope scope) {
    }

    private Bf16Check() {
    }

    /**
     * The verdict for this runtime, measured on first use for this architecture, thread setting and scope, then
     * kept. A second caller waits for the first's measurement rather than measuring again (it is seconds, and rare).
     */
    public static synchronized Bf16Verdict verdict(Architecture architecture, SessionThreads threads, Scope scope) {
        return VERDICTS.computeIfAbsent(new Key(architecture, threads, scope),
                key -> measureOrFail(architecture, threads, scope));
    }

    /**
     * Sets the verdict for an architecture and thread setting, in every scope, as a runtime that computes bf16 wrongly
     * would give.
     */
    static synchronized void assume(Architecture architecture, SessionThreads threads, Bf16Verdict verdict) {
        for (Scope scope : Scope.values()) {
            VERDICTS.put(new Key(architecture, threads, scope), verdict);
        }
    }

    private static Bf16Verdict measureOrFail(Architecture architecture, SessionThreads threads, Scope scope) {
        try {
            return measure(architecture, threads, scope);
        } catch (RuntimeException e) { // a device or runtime without bf16 kernels: fp32, and why
            return new Bf16Verdict(false, "bf16 could not be computed here: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * The precision to compute in: the one asked for, except bf16 where this runtime computes it wrongly (float32
     * then, as {@link #verdict} says why).
     */
    public static Precision usable(Precision requested, Architecture architecture, SessionThreads threads,
                                   Scope scope) {
        boolean wrong = requested == Precision.BF16 && !verdict(architecture, threads, scope).sound();
        return wrong ? Precision.FP32 : requested;
    }

    /** Where bf16 is asked for and this runtime fails its check, the line to log: "bf16 asked for, fp32 used: why". */
    public static java.util.Optional<String> fallback(Precision requested, Architecture architecture,
                                                      SessionThreads threads, Scope scope) {
        return usable(requested, architecture, threads, scope) == requested ? java.util.Optional.empty()
                : java.util.Optional.of("bf16 asked for, fp32 used: " + verdict(architecture, threads, scope).detail());
    }

    static Bf16Verdict measure(Architecture architecture, SessionThreads threads, Scope scope) {
        try (Bf16CheckGraph checked = new Bf16CheckGraph(SEED)) {
            if (scope == Scope.TRAINING) {
                checked.addLayers(architecture);
                checked.addBatchNorms(architecture);
                checked.addNetworks(architecture);
            }
            checked.addServing(architecture, threads);
            float[][] fp32;
            float[][] bf16;
            try (Session session = new Session(checked.graph(), threads.config())) {
                session.initialize();
                fp32 = run(session, checked.outputs(Precision.FP32));
                bf16 = run(session, checked.outputs(Precision.BF16));
            }
            // bf16 again in a session of its own: fresh buffers, so a kernel that reads memory it never wrote (Zen 5's
            // results differed from process to process) shows here as well
            try (Session session = new Session(checked.graph(), threads.config())) {
                session.initialize();
                float[][] again = run(session, checked.outputs(Precision.BF16));
                return Bf16Verdict.judge(checked.names(), fp32, bf16, again);
            }
        }
    }

    private static float[][] run(Session session, List<Operand<TFloat32>> fetches) {
        Session.Runner runner = session.runner();
        fetches.forEach(runner::fetch);
        try (Result result = runner.run()) {
            float[][] values = new float[fetches.size()][];
            for (int i = 0; i < values.length; i++) {
                values[i] = Tensors.values((TFloat32) result.get(i));
            }
            return values;
        }
    }
}
