package io.oshigan.dcgan.translate;

import io.oshigan.imaging.PngWriter;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ForkJoinTask;

/**
 * The output side of the generator: [n,96,96,3] in [-1, 1] to pictures (one face, or a grid with 2 px gaps), for the
 * trainer's progress grids and the sampler's answers. [-1, 1] maps to 0..255 over the
 * whole range (the reference clipped the dark half away). A PNG grid is written straight from the floats, row by row
 * ({@link io.oshigan.imaging.PngWriter.Rows}), with no picture in between; {@link #png(int, int, Faces)} writes the
 * top rows' part while the bottom rows' faces are generated.
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

    /** From this many faces (two rows of eight) a PNG grid is made in two parts: a part of fewer gains nothing. */
    static final int PIPELINE_FACES = 16;

    /** Faces [from, to) of a grid, as the generator gives them: [to - from, 96, 96, 3] in [-1, 1]. */
    @FunctionalInterface
    public interface Faces {
        float[] faces(int from, int to);
    }

    private FaceImages() {
    }

    public static byte[] encode(float[] pixels, int n, int columns, Format format) {
        if (format == Format.PNG) {
            return png(Layout.of(n, columns), (from, to) -> pixels, true);
        }
        return jpeg(grid(pixels, n, columns));
    }

    /**
     * A PNG grid of n faces generated in two parts when it has two rows or more: the faces of the top rows first, then
     * the rest, while another core filters and deflates the top rows' part of the file. The file is the one
     * {@link #encode} writes for the same faces.
     */
    public static byte[] png(int n, int columns, Faces faces) {
        return png(Layout.of(n, columns), faces, false);
    }

    /** @param whole {@code faces} gives all n faces whatever it is asked (their indices count from the first face) */
    private static byte[] png(Layout layout, Faces faces, boolean whole) {
        int n = layout.n();
        int topFaces = n < PIPELINE_FACES || layout.rows() < 2 ? n : layout.columns() * ((layout.rows() + 1) / 2);
        float[] top = faces.faces(0, topFaces);
        if (topFaces == n) {
            return PngWriter.encode(layout.rows(top, 0, n, 0), layout.width(), layout.height());
        }
        int middle = layout.top(topFaces / layout.columns());
        // forked to the common pool: a free core deflates the top while this thread waits for the rest of the faces
        ForkJoinTask<PngWriter.Part> topPart = ForkJoinTask.adapt(
                () -> PngWriter.part(layout.rows(top, 0, topFaces, 0), layout.width(), 0, middle)).fork();
        float[] bottom = faces.faces(topFaces, n);
        PngWriter.Part[] bottomParts = PngWriter.parts(layout.rows(bottom, topFaces, n, whole ? 0 : topFaces),
                layout.width(), middle, layout.height());
        PngWriter.Part[] all = new PngWriter.Part[1 + bottomParts.length];
        all[0] = topPart.join();
        System.arraycopy(bottomParts, 0, all, 1, bottomParts.length);
        return PngWriter.assemble(layout.width(), layout.height(), all);
    }

    /** Where n faces go in a grid of {@code columns}: 2 px gaps around and between them, none around a single face. */
    record Layout(int n, int columns, int rows, int cell, int offset, int width, int height) {
        static Layout of(int n, int columns) {
            int cols = Math.min(columns, n);
            int rows = (n + cols - 1) / cols;
            if (n == 1) {
                return new Layout(1, 1, 1, SIZE, 0, SIZE, SIZE);
            }
            int cell = SIZE + GAP;
            return new Layout(n, cols, rows, cell, GAP, cols * cell + GAP, rows * cell + GAP);
        }

        /** The first pixel row of a row of faces (the image's height for the row after the last). */
        int top(int faceRow) {
            return faceRow >= rows ? height : offset + faceRow * cell;
        }

        /** The image's pixel rows from faces [first, end), face {@code base} first in {@code pixels}; others stay black. */
        PngWriter.Rows rows(float[] pixels, int first, int end, int base) {
            return (y, out) -> {
                Arrays.fill(out, (byte) 0);
                int inCell = y - offset;
                int faceRow = inCell < 0 ? -1 : inCell / cell;
                int line = inCell - faceRow * cell;
                if (faceRow < 0 || faceRow >= rows || line >= SIZE) {
                    return; // a gap
                }
                for (int c = 0; c < columns; c++) {
                    int k = faceRow * columns + c;
                    if (k < first || k >= end) {
                        continue;
                    }
                    int from = ((k - base) * SIZE + line) * SIZE * 3;
                    int to = (offset + c * cell) * 3;
                    for (int i = 0; i < SIZE * 3; i++) {
                        out[to + i] = (byte) toByte(pixels[from + i]);
                    }
                }
            };
        }
    }

    /** The grid as a picture (for JPEG, and for tests): the same pixels as the PNG. */
    public static BufferedImage grid(float[] pixels, int n, int columns) {
        Layout layout = Layout.of(n, columns);
        int width = layout.width();
        BufferedImage image = new BufferedImage(width, layout.height(), BufferedImage.TYPE_INT_RGB);
        // straight into the raster: setRGB per pixel converts colour models every time
        int[] raster = ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int cols = layout.columns();
        int cell = layout.cell();
        int offset = layout.offset();
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

    private static byte[] jpeg(BufferedImage image) {
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
