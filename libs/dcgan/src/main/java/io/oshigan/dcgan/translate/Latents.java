package io.oshigan.dcgan.translate;

import java.util.SplittableRandom;

/**
 * Latent vectors from seeds, the translator's input side (for the sampler's answers and the trainer's noise and
 * grids alike): seed s gives the same n x nz standard normals every time, on every machine. Truncation keeps samples near the mode: values beyond the threshold are redrawn (resample) or
 * scaled into it (scale).
 */
public final class Latents {
    public enum Truncation { NONE, RESAMPLE, SCALE }

    private Latents() {
    }

    public static float[] fromSeed(long seed, int n, int nz, Truncation truncation, float threshold) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] z = new float[n * nz];
        for (int i = 0; i < z.length; i++) {
            double v = normal(random);
            if (truncation == Truncation.RESAMPLE) {
                while (Math.abs(v) > threshold) {
                    v = normal(random);
                }
            } else if (truncation == Truncation.SCALE && Math.abs(v) > threshold) {
                v = Math.signum(v) * threshold;
            }
            z[i] = (float) v;
        }
        return z;
    }

    /** n standard normals from {@code random}, the one Gaussian of the project (the trainer's noise comes from here). */
    public static float[] normals(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) normal(random);
        }
        return values;
    }

    /** k latent vectors from a to b (both nz long), linear or spherical (slerp), ends included. */
    public static float[] interpolate(float[] a, float[] b, int steps, boolean spherical) {
        int nz = a.length;
        float[] out = new float[steps * nz];
        double omega = spherical ? angle(a, b) : 0;
        for (int s = 0; s < steps; s++) {
            double t = steps == 1 ? 0 : (double) s / (steps - 1);
            double wa = 1 - t;
            double wb = t;
            if (spherical && Math.abs(Math.sin(omega)) > 1e-6) {
                wa = Math.sin((1 - t) * omega) / Math.sin(omega);
                wb = Math.sin(t * omega) / Math.sin(omega);
            }
            for (int i = 0; i < nz; i++) {
                out[s * nz + i] = (float) (wa * a[i] + wb * b[i]);
            }
        }
        return out;
    }

    private static double angle(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))));
    }

    private static double normal(SplittableRandom random) {
        // Box-Muller, one value per draw pair, so a value never depends on an odd/even position. StrictMath: Math's
        // log and cos may differ by an ulp between CPUs and JITs, and a seed must give the same face everywhere
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
}
