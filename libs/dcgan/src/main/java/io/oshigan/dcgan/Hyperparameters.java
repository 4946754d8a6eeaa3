package io.oshigan.dcgan;

/**
 * Training constants of the reference script, and the precision the layers compute in; each can be changed per run.
 * A manifest written before {@code precision} existed reads as {@link Precision#FP32}.
 */
public record Hyperparameters(float learningRateG, float learningRateD, float beta1, float beta2, float adamEpsilon,
                              float batchNormEpsilon, float batchNormMomentum, float leakySlope, float realLabel,
                              Precision precision) {
    public static final float DEFAULT_LR_G = 1e-4f;
    public static final float DEFAULT_LR_D = 1e-5f;
    public static final float DEFAULT_BETA1 = 0.9f;
    public static final float DEFAULT_BETA2 = 0.999f;
    public static final float DEFAULT_ADAM_EPSILON = 1e-8f;
    /** PyTorch's BatchNorm2d default; TensorFlow's fused batch norm would use 1e-3. */
    public static final float DEFAULT_BN_EPSILON = 1e-5f;
    /** PyTorch's momentum: running = (1 - m) * running + m * batch. */
    public static final float DEFAULT_BN_MOMENTUM = 0.1f;
    public static final float DEFAULT_LEAKY_SLOPE = 0.2f;
    /** The target for real images in D's loss; 0.9 is one-sided label smoothing. */
    public static final float DEFAULT_REAL_LABEL = 1f;
    public static final float SMOOTHED_REAL_LABEL = 0.9f;

    /** Values a request may send are checked here, once: nothing else in a graph guards against NaN or 1e30. */
    public Hyperparameters {
        requireIn("learning rate of G", learningRateG, 0, 1);
        requireIn("learning rate of D", learningRateD, 0, 1);
        requireIn("beta1", beta1, 0, 0.9999f);
        requireIn("beta2", beta2, 0, 0.9999999f);
        requireIn("Adam epsilon", adamEpsilon, 1e-12f, 1);
        requireIn("batch-norm epsilon", batchNormEpsilon, 1e-12f, 1);
        requireIn("batch-norm momentum", batchNormMomentum, 0, 1);
        requireIn("leaky slope", leakySlope, 0, 1);
        requireIn("real label", realLabel, 0.5f, 1);
        precision = precision == null ? Precision.FP32 : precision;
    }

    private static void requireIn(String name, float value, float min, float max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "] but is " + value);
        }
    }

    public static Hyperparameters reference() {
        return new Hyperparameters(DEFAULT_LR_G, DEFAULT_LR_D, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_ADAM_EPSILON,
                DEFAULT_BN_EPSILON, DEFAULT_BN_MOMENTUM, DEFAULT_LEAKY_SLOPE, DEFAULT_REAL_LABEL, Precision.FP32);
    }

    /** The reference's constants with the ones a run may choose set (trainer RunParameters). */
    public static Hyperparameters chosen(float learningRateG, float learningRateD, float beta1, float beta2, float realLabel,
                                         Precision precision) {
        return new Hyperparameters(learningRateG, learningRateD, beta1, beta2, DEFAULT_ADAM_EPSILON, DEFAULT_BN_EPSILON,
                DEFAULT_BN_MOMENTUM, DEFAULT_LEAKY_SLOPE, realLabel, precision);
    }

    /** These constants, computed in {@code other} precision. */
    public Hyperparameters in(Precision other) {
        return new Hyperparameters(learningRateG, learningRateD, beta1, beta2, adamEpsilon, batchNormEpsilon,
                batchNormMomentum, leakySlope, realLabel, other);
    }
}
