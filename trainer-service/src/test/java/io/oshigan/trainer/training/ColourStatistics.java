package io.oshigan.trainer.training;

/** A simple statistic of generated images: per-channel colour histograms, compared with L1 distance. */
final class ColourStatistics {
    private static final int BINS = 16;

    private ColourStatistics() {
    }

    /** Half the L1 distance of the normalised per-channel histograms, averaged over R, G, B: 0 same, 1 disjoint. */
    static double histogramDistance(float[] a, float[] b) {
        double[][] ha = histograms(a);
        double[][] hb = histograms(b);
        double distance = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < BINS; i++) {
                distance += Math.abs(ha[c][i] - hb[c][i]);
            }
        }
        return distance / 6;
    }

    /** Mean absolute difference of per-channel means and standard deviations. */
    static double momentDistance(float[] a, float[] b) {
        double[] ma = moments(a);
        double[] mb = moments(b);
        double d = 0;
        for (int i = 0; i < 6; i++) {
            d += Math.abs(ma[i] - mb[i]);
        }
        return d / 6;
    }

    static double[] moments(float[] pixels) {
        double[] sum = new double[3];
        double[] sq = new double[3];
        int n = pixels.length / 3;
        for (int i = 0; i < pixels.length; i++) {
            sum[i % 3] += pixels[i];
            sq[i % 3] += pixels[i] * pixels[i];
        }
        double[] m = new double[6];
        for (int c = 0; c < 3; c++) {
            m[c] = sum[c] / n;
            m[3 + c] = Math.sqrt(Math.max(0, sq[c] / n - m[c] * m[c]));
        }
        return m;
    }

    private static double[][] histograms(float[] pixels) {
        double[][] h = new double[3][BINS];
        int n = pixels.length / 3;
        for (int i = 0; i < pixels.length; i++) {
            int bin = Math.min(BINS - 1, Math.max(0, (int) ((pixels[i] + 1f) / 2f * BINS)));
            h[i % 3][bin] += 1.0 / n;
        }
        return h;
    }
}
