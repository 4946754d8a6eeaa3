package io.oshigan.trainer.domain;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** n generated images [n,96,96,3] in [-1, 1] as one PNG grid, columns x rows, 2 px gaps. */
public final class ProgressGrid {
    private static final int GAP = 2;

    private ProgressGrid() {
    }

    public static byte[] png(float[] images, int count, int columns) {
        int rows = (count + columns - 1) / columns;
        int size = FacePixels.SIZE;
        BufferedImage grid = new BufferedImage(columns * (size + GAP) + GAP, rows * (size + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        for (int n = 0; n < count; n++) {
            int left = GAP + (n % columns) * (size + GAP);
            int top = GAP + (n / columns) * (size + GAP);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int i = ((n * size + y) * size + x) * 3;
                    int rgb = FacePixels.toByte(images[i]) << 16 | FacePixels.toByte(images[i + 1]) << 8
                            | FacePixels.toByte(images[i + 2]);
                    grid.setRGB(left + x, top + y, rgb);
                }
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(grid, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
