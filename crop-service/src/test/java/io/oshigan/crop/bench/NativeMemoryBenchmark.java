package io.oshigan.crop.bench;

import io.oshigan.crop.domain.AlphaMode;
import io.oshigan.crop.domain.CropPipeline;
import io.oshigan.crop.domain.CropResult;
import io.oshigan.crop.domain.DetectionParams;
import io.oshigan.crop.domain.FaceDetector;
import io.oshigan.crop.domain.ImageDecoder;
import io.oshigan.crop.domain.ImageHeaders;
import io.oshigan.crop.domain.ImageLimits;
import io.oshigan.crop.domain.OpenCv;
import io.oshigan.crop.domain.PixelBudget;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Native bytes a pixel of an image in work holds at its peak ({@link PixelBudget#NATIVE_BYTES_PER_PIXEL}): the rise of
 * the process's peak RSS while the pipeline crops one textured PNG of SIDE x SIDE pixels, over its RSS before. Run it
 * in a JVM whose heap is committed up front (-Xms = -Xmx, -XX:+AlwaysPreTouch), so that only native memory can grow,
 * one image a JVM (the peak is the process's). Not a test: bench/run.sh runs it.
 *
 * <p>usage: NativeMemoryBenchmark CASCADE SIDE
 */
public final class NativeMemoryBenchmark {
    private NativeMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path cascade = Path.of(args[0]);
        int side = Integer.parseInt(args[1]);
        OpenCv.useThreads(1);
        byte[] png = texturedPng(side);
        CropPipeline pipeline = new CropPipeline(new ImageHeaders(new ImageLimits(1L << 30, 1L << 30)),
                new ImageDecoder(AlphaMode.DROP), new FaceDetector(cascade, new DetectionParams(1.1, 5, 32, 96)));
        pipeline.run(texturedPng(256)); // OpenCV's own first-use allocations are not the image's
        System.gc();
        long before = status("VmRSS:");
        CropResult result = pipeline.run(png);
        long peak = status("VmHWM:");
        double pixels = (double) side * side;
        System.out.printf("crop native memory, %dx%d PNG (%.0f MP, %d faces): peak RSS %d MB over %d MB before = "
                        + "%.1f bytes a pixel (the pixel budget counts %d)%n", side, side, pixels / 1e6,
                result.faces().size(), (peak - before) >> 20, before >> 20, (peak - before) / pixels,
                PixelBudget.NATIVE_BYTES_PER_PIXEL);
    }

    /** 8x8 blocks of random colours: the detector searches every scale (no early exit on flat areas). */
    private static byte[] texturedPng(int side) throws Exception {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(side);
        for (int y = 0; y < side; y += 8) {
            for (int x = 0; x < side; x += 8) {
                int colour = random.nextInt(0x1000000);
                for (int dy = 0; dy < 8 && y + dy < side; dy++) {
                    for (int dx = 0; dx < 8 && x + dx < side; dx++) {
                        image.setRGB(x + dx, y + dy, colour);
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A /proc/self/status line's value, in bytes. */
    private static long status(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
            }
        }
        throw new IllegalStateException(key + " not in /proc/self/status");
    }
}
