package io.oshigan.dcgan.translate;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ForkJoinTask;

/**
 * The output side of the generator: [n,96,96,3] in [-1, 1] to pictures (one face, or a grid with 2 px gaps), for the
 * trainer's progress grids and the sampler's answers. [-1, 1] maps to 0..255 over the
 * whole range (the reference clipped the dark half away).
 */
public final class FaceImages {
    public static final int SIZE = io.oshigan.dcgan.Architecture.IMAGE_SIZE;
    private static final int GAP = 2;
    /** From this many faces a grid is painted by two threads. */
    private static final int PARALLEL_FACES = 16;

    public enum Format {
        PNG("image/png"), JPEG("image/jpeg");

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        public String mediaType() {
            return mediaType;
        }
    }

    private FaceImages() {
    }

    public static byte[] encode(float[] pixels, int n, int columns, Format format) {
        return encode(grid(pixels, n, columns), format);
    }

    public static BufferedImage grid(float[] pixels, int n, int columns) {
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        boolean single = n == 1;
        int cell = SIZE + (single ? 0 : GAP);
        int width = single ? SIZE : cols * cell + GAP;
        BufferedImage image = new BufferedImage(width, single ? SIZE : rows * cell + GAP, BufferedImage.TYPE_INT_RGB);
        // straight into the raster: setRGB per pixel converts colour models every time
        int[] raster = ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int offset = single ? 0 : GAP;
        if (n >= PARALLEL_FACES) {
            // half the faces on a common-pool worker; join() paints them here if no worker was free
            ForkJoinTask<?> second = ForkJoinTask.adapt(() -> paint(pixels, raster, width, cols, cell, offset, n / 2, n)).fork();
            paint(pixels, raster, width, cols, cell, offset, 0, n / 2);
            second.join();
        } else {
            paint(pixels, raster, width, cols, cell, offset, 0, n);
        }
        return image;
    }

    private static void paint(float[] pixels, int[] raster, int width, int cols, int cell, int offset, int from, int to) {
        for (int k = from; k < to; k++) {
            int left = offset + (k % cols) * cell;
            int top = offset + (k / cols) * cell;
            for (int y = 0; y < SIZE; y++) {
                int row = (top + y) * width + left;
                int i = (k * SIZE + y) * SIZE * 3;
                for (int x = 0; x < SIZE; x++, i += 3) {
                    raster[row + x] = toByte(pixels[i]) << 16 | toByte(pixels[i + 1]) << 8 | toByte(pixels[i + 2]);
                }
            }
        }
    }

    /** [-1, 1] to 0..255, rounded half up; out of range clamps, NaN gives 0. */
    public static int toByte(float value) {
        // (int) truncates toward zero, which rounds half up for the non-negative values that survive the clamp
        return Math.max(0, Math.min(255, (int) ((value + 1f) * 127.5f + 0.5f)));
    }

    private static byte[] encode(BufferedImage image, Format format) {
        if (format == Format.PNG) {
            int[] raster = ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
            return io.oshigan.imaging.PngWriter.encode(raster, image.getWidth(), image.getHeight());
        }
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.92f);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
