package io.oshigan.dcgan.translate;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Image bytes to the generator's pixel space, as the reference's torchvision pipeline does it: Resize(96) (shorter
 * side to 96, bilinear), CenterCrop(96), ToTensor (RGB in [0, 1]), Normalize(0.5, 0.5) to [-1, 1]. NHWC, flattened.
 * The crops are 96x96 already, so for them this is only the colour mapping. Faces are kept as their 8-bit RGB
 * values ({@link #VALUES} bytes, a quarter of the floats) and mapped to [-1, 1] only when a batch is filled
 * ({@link #toUnit(byte[], float[], int)}): the same floats, a quarter of the memory.
 */
public final class FacePixels {
    public static final int SIZE = io.oshigan.dcgan.Architecture.IMAGE_SIZE;
    public static final int VALUES = SIZE * SIZE * 3;

    private FacePixels() {
    }

    /** Crops are 96x96; anything larger than this a side is refused from its header, before its pixels are read. */
    public static final int MAX_SIDE = 1024;

    /**
     * The pixels of a stored crop; {@link IllegalArgumentException} with the reason for anything that is not a readable
     * image of at most {@link #MAX_SIDE} a side (ImageIO's readers throw assorted runtime exceptions on malformed
     * files, a GIF without a frame an IndexOutOfBoundsException: each is such a reason, not a failure of the caller).
     */
    public static byte[] fromImageBytes(byte[] encoded) {
        BufferedImage image;
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("not a readable image (" + encoded.length + " bytes)");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width > MAX_SIDE || height > MAX_SIDE) {
                    throw new IllegalArgumentException("a crop of " + width + "x" + height + " pixels; crops are "
                            + SIZE + "x" + SIZE + " and at most " + MAX_SIDE + " a side is read");
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable image: " + e, e);
        }
        if (image == null) {
            throw new IllegalArgumentException("not a readable image: its reader returned no picture");
        }
        return fromImage(image);
    }

    /** The image's 8-bit RGB values after Resize(96) and CenterCrop(96), NHWC. */
    public static byte[] fromImage(BufferedImage image) {
        BufferedImage square = resizeAndCrop(image);
        byte[] pixels = new byte[VALUES];
        int[] row = new int[SIZE];
        for (int y = 0; y < SIZE; y++) {
            square.getRGB(0, y, SIZE, 1, row, 0, SIZE);
            for (int x = 0; x < SIZE; x++) {
                int i = (y * SIZE + x) * 3;
                pixels[i] = (byte) (row[x] >> 16);
                pixels[i + 1] = (byte) (row[x] >> 8);
                pixels[i + 2] = (byte) row[x];
            }
        }
        return pixels;
    }

    /** ToTensor and Normalize(0.5, 0.5): {@code pixels} into [-1, 1] at {@code target[offset..]}. */
    public static void toUnit(byte[] pixels, float[] target, int offset) {
        for (int i = 0; i < VALUES; i++) {
            target[offset + i] = UNIT[pixels[i] & 255];
        }
    }

    /** The image in [-1, 1], as the generator sees it. */
    public static float[] toUnit(byte[] pixels) {
        float[] unit = new float[VALUES];
        toUnit(pixels, unit, 0);
        return unit;
    }

    private static final float[] UNIT = new float[256];

    static {
        for (int c = 0; c < 256; c++) {
            UNIT[c] = c / 255f * 2f - 1f;
        }
    }

    private static BufferedImage resizeAndCrop(BufferedImage image) {
        if (image.getWidth() == SIZE && image.getHeight() == SIZE) {
            return image;
        }
        double scale = (double) SIZE / Math.min(image.getWidth(), image.getHeight());
        int w = Math.max(SIZE, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(SIZE, (int) Math.round(image.getHeight() * scale));
        BufferedImage out = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, -(w - SIZE) / 2, -(h - SIZE) / 2, w, h, null);
        g.dispose();
        return out;
    }
}
