package io.oshigan.trainer.training;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.Precision;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.dcgan.translate.FacePixels;
import io.oshigan.trainer.domain.ImageCache;
import io.oshigan.trainer.domain.RunSettings;
import io.oshigan.trainer.domain.SyntheticFaces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Does a small generator learn the colours of a simple data set (red discs on black)? Measured by the distance of the
 * generated images' colours to the data's, before training and averaged over a window of evaluations at the end.
 * A GAN's trajectory is chaotic: another CPU, kernel or thread split gives another run. The settings below were
 * chosen because every measured run learns, far from the thresholds in TrainingRunTest; {@link #main} measures the
 * spread (see the trainer's README for the table and how to run it).
 */
final class LearningCheck {
    /** G learns fast and D keeps up: the runs measured with the reference's slower rates stalled in about half the seeds. */
    static final float LEARNING_RATE_G = 1e-2f;
    static final float LEARNING_RATE_D = 5e-4f;
    static final int BATCH = 32;
    static final int STEPS = 300;
    /** Steps at which the generated colours are measured and averaged: one lucky or unlucky step does not decide. */
    static final int[] WINDOW = {200, 225, 250, 275, 300};
    static final Architecture SMALL = new Architecture(16, 8, 8);

    record Result(long seed, double histogramBefore, double histogramAfter, double momentsBefore, double momentsAfter) {
        double histogramRatio() {
            return histogramAfter / histogramBefore;
        }

        double momentsRatio() {
            return momentsAfter / momentsBefore;
        }
    }

    private LearningCheck() {
    }

    static Result run(long seed, SessionThreads threads, float learningRateG) {
        return run(seed, threads, learningRateG, Precision.FP32);
    }

    static Result run(long seed, SessionThreads threads, float learningRateG, Precision precision) {
        Path dir = temporaryDirectory();
        try (FaceDataset data = new FaceDataset(new ImageCache(1L << 30, dir))) {
            for (int i = 0; i < 256; i++) {
                data.offer(String.format("blob-%04d", i), FacePixels.fromImage(SyntheticFaces.blob(3, i)));
            }
            data.admitPending();
            float[] reference = data.batch(IntStream.range(0, 64).toArray());
            RunSettings settings = new RunSettings("blobs", SMALL,
                    Hyperparameters.chosen(learningRateG, LEARNING_RATE_D, 0.5f, 0.999f, Hyperparameters.DEFAULT_REAL_LABEL, precision),
                    BATCH, 1, seed, BATCH, 10, 15, 64, null);
            try (TrainingRun run = new TrainingRun(settings, data, threads)) {
                float[] before = run.gridImages();
                double histogram = 0;
                double moments = 0;
                int evaluated = 0;
                for (int step = 1; step <= STEPS; step++) {
                    run.trainBatch();
                    if (evaluated < WINDOW.length && step == WINDOW[evaluated]) {
                        float[] images = run.gridImages();
                        histogram += ColourStatistics.histogramDistance(images, reference);
                        moments += ColourStatistics.momentDistance(images, reference);
                        evaluated++;
                    }
                }
                return new Result(seed, ColourStatistics.histogramDistance(before, reference), histogram / WINDOW.length,
                        ColourStatistics.momentDistance(before, reference), moments / WINDOW.length);
            }
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("learning-check");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The spread: {@code java -cp ... LearningCheck PRECISION INTRA_OP_THREADS SEED...}, once with
     * TF_ENABLE_ONEDNN_OPTS=0 and once with =1 (which switches TensorFlow's CPU kernels, as another CPU would). One
     * line per seed.
     */
    public static void main(String[] args) {
        Precision precision = Precision.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        for (int i = 2; i < args.length; i++) {
            Result r = run(Long.parseLong(args[i]), new SessionThreads(threads, 1), LEARNING_RATE_G, precision);
            System.out.printf("%s onednn=%s threads=%d seed=%d histogram %.3f -> %.3f (x%.2f) moments %.3f -> %.3f (x%.2f)%n",
                    precision, System.getenv("TF_ENABLE_ONEDNN_OPTS"), threads, r.seed(), r.histogramBefore(), r.histogramAfter(),
                    r.histogramRatio(), r.momentsBefore(), r.momentsAfter(), r.momentsRatio());
        }
    }
}
