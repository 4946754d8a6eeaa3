package io.oshigan.crop.bench;

import io.oshigan.crop.domain.AlphaMode;
import io.oshigan.crop.domain.CropPipeline;
import io.oshigan.crop.domain.DetectionParams;
import io.oshigan.crop.domain.FaceDetector;
import io.oshigan.crop.domain.ImageDecoder;
import io.oshigan.crop.domain.ImageHeaders;
import io.oshigan.crop.domain.ImageLimits;
import io.oshigan.crop.domain.OpenCv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Images per second of the crop pipeline (header checks, decode, detect, crop, resize, PNG encode) on given files;
 * the same work as bench/crop_reference.py. Not a test: run it with bench/run.sh.
 *
 * <p>usage: CropBenchmark CASCADE ROUNDS IMAGE...
 */
public final class CropBenchmark {
    private CropBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path cascade = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<byte[]> images = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            images.add(Files.readAllBytes(Path.of(args[i])));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        OpenCv.useThreads(-1);
        run("sequential, OpenCV threads default", cascade, images, rounds, 1);
        OpenCv.useThreads(1);
        run("service mode, " + cores + " workers x 1 OpenCV thread", cascade, images, rounds, cores);
    }

    private static void run(String label, Path cascade, List<byte[]> images, int rounds, int workers) throws Exception {
        CropPipeline pipeline = new CropPipeline(new ImageHeaders(ImageLimits.defaults()),
                new ImageDecoder(AlphaMode.DROP), new FaceDetector(cascade, DetectionParams.reference()));
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            roundTrip(pipeline, pool, images, 3);
            long start = System.nanoTime();
            int faces = roundTrip(pipeline, pool, images, rounds);
            double seconds = (System.nanoTime() - start) / 1e9;
            int n = rounds * images.size();
            System.out.printf("java opencv %s (%s): %d images, %d faces in %.2f s = %.1f images/s%n",
                    org.opencv.core.Core.VERSION, label, n, faces, seconds, n / seconds);
        } finally {
            pool.shutdown();
        }
    }

    private static int roundTrip(CropPipeline pipeline, ExecutorService pool, List<byte[]> images, int rounds)
            throws Exception {
        List<Future<Integer>> results = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (byte[] image : images) {
                results.add(pool.submit(() -> pipeline.run(image).faces().size()));
            }
        }
        int faces = 0;
        for (Future<Integer> result : results) {
            faces += result.get();
        }
        return faces;
    }
}
