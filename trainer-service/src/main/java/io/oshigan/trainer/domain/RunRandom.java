package io.oshigan.trainer.domain;

import io.oshigan.dcgan.translate.Latents;

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
    private static final long AUGMENT = 5;

    /** Which input of D an augmentation is for: each gets its own draw. */
    public enum AugmentTarget { REAL, FAKE_FOR_D, FAKE_FOR_G }

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

    /** DiffAugment parameters [batch, 7] for one input of D at step s (see io.oshigan.dcgan.DiffAugment). */
    public static float[] augmentation(long seed, long step, AugmentTarget target, int batch) {
        SplittableRandom random = new SplittableRandom(mix(seed, AUGMENT * 8 + target.ordinal(), step));
        float[] params = new float[batch * 7];
        for (int b = 0; b < batch; b++) {
            int i = b * 7;
            params[i] = (float) random.nextDouble();
            params[i + 1] = (float) random.nextDouble();
            params[i + 2] = (float) random.nextDouble();
            params[i + 3] = random.nextInt(-12, 13);
            params[i + 4] = random.nextInt(-12, 13);
            params[i + 5] = random.nextInt(0, 97);
            params[i + 6] = random.nextInt(0, 97);
        }
        return params;
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
        return Latents.normals(random, n);
    }

    private static long mix(long seed, long purpose, long counter) {
        long h = seed * 0x9E3779B97F4A7C15L + purpose * 0xBF58476D1CE4E5B9L + counter * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        h *= 0xD6E8FEB86659FD93L;
        return h ^ (h >>> 32);
    }
}
