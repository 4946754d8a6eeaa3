package io.oshigan.imaging;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.util.zip.Deflater;

/**
 * Does the PNG writer's own deflater still pay? A 64-face grid (786x786, the sampler's largest answer) cut from the
 * fixture sprites, filtered once, then compressed by {@link LiteralDeflater} and by the JDK's zlib with the
 * Huffman-only strategy and with level 1; the whole writer against ImageIO's; then one face alone, the sampler's
 * answer to a request for one. One thread, median of many runs.
 * usage: java -cp ... io.oshigan.imaging.PngBenchmark [fixtures/anime dir]
 */
public final class PngBenchmark {
    private static final int SIDE = 8 * 98 + 2;

    public static void main(String[] args) throws Exception {
        File dir = new File(args.length > 0 ? args[0] : "../shared/fixtures/anime");
        int[] rgb = grid(dir);
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, SIDE, SIDE, rgb, 0, SIDE);
        byte[] raw = PngWriter.filter(rgb, SIDE, 0, SIDE);
        byte[] out = new byte[LiteralDeflater.bound(raw.length)];
        System.out.printf("%dx%d grid, %d filtered bytes, %d cores%n", SIDE, SIDE, raw.length,
                Runtime.getRuntime().availableProcessors());
        report("filter (Sub)", () -> PngWriter.filter(rgb, SIDE, 0, SIDE).length, raw.length);
        report("LiteralDeflater (ours)", () -> LiteralDeflater.deflate(raw, raw.length, true, out), raw.length);
        report("zlib HUFFMAN_ONLY", () -> zlib(raw, out, Deflater.HUFFMAN_ONLY, 1), raw.length);
        report("zlib level 1", () -> zlib(raw, out, Deflater.DEFAULT_STRATEGY, 1), raw.length);
        report("PngWriter, whole file", () -> PngWriter.encode(rgb, SIDE, SIDE).length, raw.length);
        report("ImageIO PNG, whole file", () -> imageIo(image), raw.length);
        // one face, as the sampler answers a request for one: per-image costs (the code's build, the chunks) weigh more
        int[] face = new int[96 * 96];
        for (int y = 0; y < 96; y++) {
            System.arraycopy(rgb, (2 + y) * SIDE + 2, face, y * 96, 96);
        }
        int faceBytes = 96 * (1 + 96 * 3);
        reportMicros("PngWriter, one 96x96 face", () -> PngWriter.encode(face, 96, 96).length, faceBytes);
    }

    private static int zlib(byte[] raw, byte[] out, int strategy, int level) {
        Deflater deflater = new Deflater(level, true);
        deflater.setStrategy(strategy);
        deflater.setInput(raw);
        deflater.finish();
        int length = 0;
        while (!deflater.finished()) { // a changed strategy takes a call of its own
            length += deflater.deflate(out, length, out.length - length);
        }
        deflater.end();
        return length;
    }

    private static int imageIo(BufferedImage image) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.size();
    }

    interface Run {
        int run() throws Exception;
    }

    private static void report(String name, Run run, int rawBytes) throws Exception {
        Timed timed = timed(run, 20, 1);
        double ms = timed.medianNanos() / 1e6;
        System.out.printf("%-26s %7.2f ms  %6.0f MB/s  %8d bytes%n", name, ms, rawBytes / ms / 1e3, timed.size());
    }

    /** As {@link #report}, in microseconds: one face is too quick a run to time alone, so 200 runs are timed at once. */
    private static void reportMicros(String name, Run run, int rawBytes) throws Exception {
        Timed timed = timed(run, 2000, 200);
        double us = timed.medianNanos() / 1e3;
        System.out.printf("%-26s %7.1f us  %6.0f MB/s  %8d bytes%n", name, us, rawBytes / us, timed.size());
    }

    /** A run's median time over 60 samples of {@code perSample} runs each, and the size its last run gave. */
    private record Timed(double medianNanos, int size) {
    }

    private static Timed timed(Run run, int warmUps, int perSample) throws Exception {
        int size = 0;
        for (int i = 0; i < warmUps; i++) {
            size = run.run();
        }
        double[] times = new double[60];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            for (int k = 0; k < perSample; k++) {
                size = run.run();
            }
            times[i] = (double) (System.nanoTime() - start) / perSample;
        }
        java.util.Arrays.sort(times);
        return new Timed(times[times.length / 2], size);
    }

    /** 64 faces of 96x96 from the sprites, laid out as FaceImages lays out a grid (2 px gaps). */
    private static int[] grid(File dir) throws Exception {
        File[] files = dir.listFiles((d, n) -> n.endsWith(".png"));
        if (files == null || files.length == 0) {
            throw new IllegalArgumentException("no sprites in " + dir.getAbsolutePath());
        }
        int[] rgb = new int[SIDE * SIDE];
        for (int k = 0; k < 64; k++) {
            BufferedImage sprite = ImageIO.read(files[k % files.length]);
            int sx = (k * 37) % Math.max(1, sprite.getWidth() - 96);
            int sy = (k * 53) % Math.max(1, sprite.getHeight() - 96);
            for (int y = 0; y < 96; y++) {
                for (int x = 0; x < 96; x++) {
                    rgb[(2 + (k / 8) * 98 + y) * SIDE + 2 + (k % 8) * 98 + x] = sprite.getRGB(sx + x, sy + y) & 0xFFFFFF;
                }
            }
        }
        return rgb;
    }
}
