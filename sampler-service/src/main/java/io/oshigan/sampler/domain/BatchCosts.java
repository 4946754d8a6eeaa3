package io.oshigan.sampler.domain;

/**
 * What a session run costs here, measured: a run of b images takes about {@code fixed + b * perImage}, fitted by
 * least squares over the recent runs (each older run weighs {@link #DECAY} as much as the next), so the fit follows
 * the machine it runs on, its thread count, its kernels and its precision, and a change of load or model.
 * <p>
 * The batcher waits for more requests only as long as the fixed cost ({@link #waitBoundNanos}): a request that comes within that time and joins
 * the run saves a whole run's fixed cost, one that comes later would have cost less as a run of its own. Until runs of
 * two different sizes have been seen the split is unknown, and the fixed cost is taken as one image's worth (half of
 * a lone image's time).
 */
public final class BatchCosts {
    /** Weight of each older run relative to the next: about the last 50 runs count. */
    public static final double DECAY = 0.98;
    private double weight;
    private double sumB;
    private double sumBB;
    private double sumT;
    private double sumBT;

    /** One session run of {@code images} images that took {@code nanos}. */
    public synchronized void observe(int images, long nanos) {
        weight = weight * DECAY + 1;
        sumB = sumB * DECAY + images;
        sumBB = sumBB * DECAY + (double) images * images;
        sumT = sumT * DECAY + nanos;
        sumBT = sumBT * DECAY + (double) images * nanos;
    }

    /** The fixed part of a run's time, in nanoseconds: what one run more costs beyond its images; 0 before any run. */
    public synchronized long fixedNanos() {
        if (weight == 0) {
            return 0;
        }
        double meanB = sumB / weight;
        double meanT = sumT / weight;
        double spread = sumBB / weight - meanB * meanB;
        if (spread < 0.25) { // (nearly) one batch size so far: no split; one image's share of a run
            return oneImagesShare();
        }
        double perImage = Math.max(0, (sumBT / weight - meanB * meanT) / spread);
        return Math.round(Math.min(meanT, Math.max(0, meanT - perImage * meanB)));
    }

    /**
     * How long a batch may wait for mates: the fixed cost, but never more than one image's share of the recent runs
     * (under load, runs of nearly one size with noisy times can fit most of a run as "fixed").
     */
    public synchronized long waitBoundNanos() {
        if (weight == 0) {
            return 0;
        }
        return Math.min(fixedNanos(), oneImagesShare());
    }

    /** A recent run's time over its images plus one (the run itself): the fixed cost when the fit cannot split. */
    private long oneImagesShare() {
        return Math.round((sumT / weight) / (sumB / weight + 1));
    }

    /** The time each image adds to a run, in nanoseconds. */
    public synchronized long perImageNanos() {
        if (weight == 0) {
            return 0;
        }
        double meanB = sumB / weight;
        return Math.round(Math.max(0, (sumT / weight - fixedNanos()) / meanB));
    }
}
