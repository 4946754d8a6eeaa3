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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The output side of the generator: [n,96,96,3] in [-1, 1] to pictures (one face, or a grid with 2 px gaps), for the
 * trainer's progress grids and the sampler's answers. [-1, 1] maps to 0..255 over the
 * whole range (the reference clipped the dark half away). A PNG grid is written straight from the floats, row by row
 * ({@link io.oshigan.imaging.PngWriter.Rows}), with no picture in between; {@link #png(int, int, Faces, Executor)}
 * generates and writes the top rows' part and the bottom rows' at once.
 */
public final class FaceImages {
    public static final int SIZE = io.oshigan.dcgan.Architecture.IMAGE_SIZE;
    /** From this many faces (two rows of eight) a PNG grid is made in two parts: a part of fewer gains nothing. */
    static final int PIPELINE_FACES = 16;

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

    /** Faces [from, to) of a grid, as the generator gives them: [to - from, 96, 96, 3] in [-1, 1]. */
    @FunctionalInterface
    public interface Faces {
        float[] faces(int from, int to);
    }

    private FaceImages() {
    }

    public static byte[] encode(float[] pixels, int n, int columns, Format format) {
        if (format == Format.PNG) {
            // the faces are there: the top's part is PNG work alone, what the common pool is for
            return png(GridLayout.of(n, columns), (from, to) -> pixels, 0, ForkJoinPool.commonPool());
        }
        return jpeg(grid(pixels, n, columns));
    }

    /**
     * A PNG grid of n faces, made in two parts at once when it has two rows and {@value #PIPELINE_FACES} faces or
     * more: a thread of {@code alongside} generates the top rows' faces and filters and deflates their part of the
     * file while this one does the same for the rest; where no thread of it has taken the top by then, this thread
     * makes it too. {@code faces} may thus be called from two threads at once. When a part fails, the other is done
     * before this returns (what the faces come from may be freed next), and its failure is attached as suppressed.
     * The file is the one {@link #encode} writes for the same faces.
     */
    public static byte[] png(int n, int columns, Faces faces, Executor alongside) {
        GridLayout layout = GridLayout.of(n, columns);
        int top = topFaces(layout);
        return png(layout, (from, to) -> checked(faces.faces(from, to), from, to), top < n ? top : 0, alongside);
    }

    /** @param bottomBase the face that comes first in the array {@code faces} gives for the bottom part */
    private static byte[] png(GridLayout layout, Faces faces, int bottomBase, Executor alongside) {
        int n = layout.n();
        int width = layout.width();
        int topFaces = topFaces(layout);
        if (topFaces == n) {
            return PngWriter.encode(layout.pixelRows(faces.faces(0, n), 0, n, 0), width, layout.height());
        }
        int middle = layout.top(topFaces / layout.columns());
        Supplier<PngWriter.Part> topWork = () -> PngWriter.part(layout.pixelRows(faces.faces(0, topFaces), 0, topFaces, 0), width, 0, middle);
        AtomicBoolean claimed = new AtomicBoolean();   // whoever sets it makes the top: the other thread, or this one
        FutureTask<PngWriter.Part> top = new FutureTask<>(() -> claimed.compareAndSet(false, true) ? topWork.get() : null);
        try {
            alongside.execute(top);
        } catch (RejectedExecutionException e) {
            // shut down: this thread makes both parts
        }
        PngWriter.Part bottom;
        try {
            bottom = PngWriter.part(layout.pixelRows(faces.faces(topFaces, n), topFaces, n, bottomBase), width, middle, layout.height());
        } catch (Throwable e) {
            if (!claimed.compareAndSet(false, true)) {   // not started: never will be; started: wait for it
                try {
                    done(top);
                } catch (Throwable topFailure) {
                    e.addSuppressed(topFailure);
                }
            }
            throw e;
        }
        return PngWriter.assemble(width, layout.height(), claimed.compareAndSet(false, true) ? topWork.get() : done(top), bottom);
    }

    /** The task's part once it is done (interrupts put off until then: it runs on regardless); its own failure as thrown. */
    private static PngWriter.Part done(FutureTask<PngWriter.Part> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException failure) {
                        throw failure;
                    }
                    if (e.getCause() instanceof Error failure) {
                        throw failure;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether {@link #png(int, int, Faces, Executor)} makes a grid of n faces in two parts (two rows and 16 faces or more). */
    public static boolean splits(int n, int columns) {
        return topFaces(GridLayout.of(n, columns)) < n;
    }

    /** The faces of the top part: the upper half of the rows, or all n where a split gains nothing. */
    private static int topFaces(GridLayout layout) {
        int n = layout.n();
        return n < PIPELINE_FACES || layout.faceRows() < 2 ? n : layout.columns() * ((layout.faceRows() + 1) / 2);
    }

    private static float[] checked(float[] faces, int from, int to) {
        int expected = (to - from) * SIZE * SIZE * 3;
        if (faces.length != expected) {
            throw new IllegalStateException("faces " + from + ".." + to + " came as " + faces.length + " values, not " + expected);
        }
        return faces;
    }

    /** The grid as a picture (for JPEG, and for tests): the pixels of the PNG. */
    public static BufferedImage grid(float[] pixels, int n, int columns) {
        GridLayout layout = GridLayout.of(n, columns);
        int width = layout.width();
        BufferedImage image = new BufferedImage(width, layout.height(), BufferedImage.TYPE_INT_RGB);
        // straight into the raster: setRGB per pixel converts colour models every time
        int[] raster = ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
        PngWriter.Rows rows = layout.pixelRows(pixels, 0, n, 0);
        byte[] row = new byte[width * 3];
        for (int y = 0, at = 0; y < layout.height(); y++) {
            rows.rgb(y, row);
            for (int i = 0; i < row.length; i += 3) {
                raster[at++] = (row[i] & 0xFF) << 16 | (row[i + 1] & 0xFF) << 8 | row[i + 2] & 0xFF;
            }
        }
        return image;
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
