package io.oshigan.dcgan.images;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The output side of the generator: [n,96,96,3] in [-1, 1] to pictures (one face, or a grid with 2 px gaps), for the
 * trainer's progress grids and the sampler's answers. [-1, 1] maps to 0..255 over the
 * whole range (the reference clipped the dark half away).
 */
public final class FaceImages {
    public static final int SIZE = 96;
    private static final int GAP = 2;

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
        for (int k = 0; k < n; k++) {
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
        return image;
    }

    public static int toByte(float value) {
        return Math.max(0, Math.min(255, Math.round((value + 1f) * 127.5f)));
    }

    private static byte[] encode(BufferedImage image, Format format) {
        if (format == Format.PNG) {
            int[] raster = ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
            return FastPng.encode(raster, image.getWidth(), image.getHeight());
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
