package io.oshigan.dcgan;

/**
 * Remedies for small data sets, off by default: DiffAugment on every input of D (real and fake, in both steps), and
 * an exponential moving average of G's weights for grids and exports ({@code emaDecay} 0 = off, e.g. 0.999).
 * (One-sided label smoothing is {@link Hyperparameters#realLabel()}.)
 */
public record SmallDataOptions(boolean diffAugment, float emaDecay) {
    public static final float DEFAULT_EMA_DECAY = 0.999f;

    public SmallDataOptions {
        if (!(emaDecay >= 0 && emaDecay < 1)) { // NaN too
            throw new IllegalArgumentException("EMA decay must be in [0, 1) but is " + emaDecay);
        }
    }

    public static SmallDataOptions none() {
        return new SmallDataOptions(false, 0f);
    }

    public boolean ema() {
        return emaDecay > 0;
    }
}
