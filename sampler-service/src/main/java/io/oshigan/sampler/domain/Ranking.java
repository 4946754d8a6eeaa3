package io.oshigan.sampler.domain;

import java.util.Arrays;

/** D-ranked sampling: of the images drawn, keep those the discriminator finds most real. */
public final class Ranking {
    private Ranking() {
    }

    /** The n images with the highest scores, in the order they were drawn; {@code images} holds one per score. */
    public static float[] mostReal(float[] images, float[] scores, int n) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        int[] keep = Arrays.stream(order).limit(n).mapToInt(Integer::intValue).sorted().toArray();
        int per = images.length / scores.length;
        float[] out = new float[n * per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images, keep[i] * per, out, i * per, per);
        }
        return out;
    }
}
