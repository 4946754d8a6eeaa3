package io.oshigan.dcgan;

/**
 * Which convolutions of a bfloat16 training graph take their weight gradients in float32 ({@link WeightTaps}). The
 * gradients are the same either way, to the precision's rounding; only the kernels that compute them differ, and with
 * TensorFlow 2.18's oneDNN the bf16 filter-gradient kernels are slow on small feature maps, where a filter's gradient
 * sums over few positions an image. Measured at batch 64, reference width, 2 cores, layer by layer on an Intel Xeon with
 * AMX: 8x8 to 4x4 (256 to 512 channels) 64.5 ms in bf16 against 35.6 in fp32, 4x4 to 1x1 10.9 against 5.3, 16x16 to
 * 8x8 even (29.3 against 29.1), larger maps 1.9-2.9x faster in bf16. Whole steps, bf16 with {@link #SMALL_MAPS}
 * against all weight gradients in bf16: 1.15x (batch 64) and 1.13x (128) there; on an AMD Zen 5 (AVX-512 BF16) 1.04x
 * at both batches, and {@link #ALL} 0.99x of {@link #SMALL_MAPS} (measured while each layer's output was cast back to
 * float32). So every CPU builds the same graph.
 */
public enum Fp32WeightGradients {
    /** None: every layer's weight gradient in the layer's own precision (a float32 graph; bf16 on a GPU). */
    NONE(""),
    /** Every convolution's (for tests and comparisons: no faster than {@link #SMALL_MAPS} where measured). */
    ALL(" (all weight gradients in fp32)"),
    /** Those of the layers whose smaller feature map is at most {@link #SMALL_MAP_SIDE} wide: bf16 on a CPU. */
    SMALL_MAPS(" (weight gradients of the layers at " + Fp32WeightGradients.SMALL_MAP_SIDE + "x"
            + Fp32WeightGradients.SMALL_MAP_SIDE + " and smaller in fp32: faster on a CPU)");

    /** The widest smaller feature map whose layer takes its weight gradient in float32 under {@link #SMALL_MAPS}. */
    public static final int SMALL_MAP_SIDE = 4;

    private final String note;

    Fp32WeightGradients(String note) {
        this.note = note;
    }

    /**
     * The choice for a graph in {@code precision}: none in float32, nor where the graph may run on a GPU (every build
     * with CUDA may place it on one: its bf16 kernels are the fast ones there).
     */
    public static Fp32WeightGradients forMachine(Precision precision, boolean onCpuOnly) {
        return precision == Precision.BF16 && (onCpuOnly || !CudaLibraries.bundled()) ? SMALL_MAPS : NONE;
    }

    /** Whether a convolution whose smaller feature map (its output; a transposed one's input) is {@code side} wide is tapped. */
    public boolean covers(int side) {
        return switch (this) {
            case NONE -> false;
            case ALL -> true;
            case SMALL_MAPS -> side <= SMALL_MAP_SIDE;
        };
    }

    /** Words for a log line after the precision: empty for {@link #NONE}. */
    public String note() {
        return note;
    }
}
