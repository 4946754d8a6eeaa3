package io.oshigan.trainer.domain;

import java.util.SplittableRandom;

/**
 * Every random draw of a run comes from (seed, purpose, counter), never from a stream that advances: the noise of
 * step s and the shuffle of epoch e are the same however often the run was stopped and resumed.
 */
public final class RunRandom {
    private static final long NOISE_D = 1;
    private static final long NOISE_G = 2;
    private static final long SHUFFLE = 3;
    private static final long FIXED = 4;

    private RunRandom() {
    }

    public static float[] noiseForDiscriminatorStep(long seed, long step, int batch, int nz) {
        return gaussian(new SplittableRandom(mix(seed, NOISE_D, step)), batch * nz);
    }

    public static float[] noiseForGeneratorStep(long seed, long step, int batch, int nz) {
        return gaussian(new SplittableRandom(mix(seed, NOISE_G, step)), batch * nz);
    }

    public static float[] fixedNoise(long seed, int count, int nz) {
        return gaussian(new SplittableRandom(mix(seed, FIXED, 0)), count * nz);
    }

    /** A permutation of 0..n-1 for epoch e (Fisher-Yates). */
    public static int[] shuffle(long seed, long epoch, int n) {
        SplittableRandom random = new SplittableRandom(mix(seed, SHUFFLE, epoch));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i += 2) {
            // Box-Muller: two normals from two uniforms
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1));
            values[i] = (float) (r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) {
                values[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
            }
        }
        return values;
    }

    private static long mix(long seed, long purpose, long counter) {
        long h = seed * 0x9E3779B97F4A7C15L + purpose * 0xBF58476D1CE4E5B9L + counter * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        h *= 0xD6E8FEB86659FD93L;
        return h ^ (h >>> 32);
    }
}
