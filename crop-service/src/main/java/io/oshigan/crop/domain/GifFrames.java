package io.oshigan.crop.domain;

import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import static io.oshigan.crop.domain.ImageRejectedException.Reason;

/**
 * The frames of a GIF, read from their image descriptors alone (no pixel decoded). A frame carries its own size, and a
 * decoder allocates a raster of that size whatever the canvas says: every frame must be within the pixel limit, the
 * first (the one decoded) must lie inside the canvas, and no GIF may have more than {@value #MAX_FRAMES} frames.
 * Later frames may reach beyond the canvas (the JDK's own GIF writer makes such files; viewers clip them).
 */
final class GifFrames {
    static final int MAX_FRAMES = 10_000;
    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private GifFrames() {
    }

    static void check(byte[] data, int canvasWidth, int canvasHeight, long maxPixels) {
        // in memory, as the bytes are: ImageIO.createImageInputStream copied them into a temporary file first
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            try {
                reader.setInput(in, false, false);
                for (int frame = 0; frame <= MAX_FRAMES; frame++) {
                    IIOMetadata metadata;
                    try {
                        metadata = reader.getImageMetadata(frame);
                    } catch (IndexOutOfBoundsException end) {
                        return;
                    }
                    if (frame == MAX_FRAMES) {
                        throw new ImageRejectedException(Reason.UNDECODABLE, "GIF has more than " + MAX_FRAMES + " frames");
                    }
                    checkFrame(frame, descriptor(metadata), canvasWidth, canvasHeight, maxPixels);
                }
            } finally {
                reader.dispose();
            }
        } catch (IIOException e) {
            throw new ImageRejectedException(Reason.UNDECODABLE, "GIF frames cannot be read: " + e.getMessage());
        } catch (IOException e) {
            throw new ImageRejectedException(Reason.UNDECODABLE, "GIF frames cannot be read: " + e);
        }
    }

    private static void checkFrame(int frame, NamedNodeMap d, int canvasWidth, int canvasHeight, long maxPixels) {
        int left = number(d, "imageLeftPosition");
        int top = number(d, "imageTopPosition");
        int width = number(d, "imageWidth");
        int height = number(d, "imageHeight");
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new ImageRejectedException(Reason.TOO_MANY_PIXELS, "GIF frame " + frame + " of " + width + "x" + height
                    + " = " + pixels + " pixels; the limit is " + maxPixels + " (refused before decoding)");
        }
        if (frame == 0 && (left + width > canvasWidth || top + height > canvasHeight)) {
            throw new ImageRejectedException(Reason.UNDECODABLE, "GIF frame 0 of " + width + "x" + height + " at ("
                    + left + ", " + top + ") lies outside its " + canvasWidth + "x" + canvasHeight
                    + " canvas (refused before decoding)");
        }
    }

    /** Where a frame lies on the canvas: {left, top}, from its image descriptor. */
    static int[] position(IIOMetadata metadata) {
        NamedNodeMap d = descriptor(metadata);
        return new int[]{number(d, "imageLeftPosition"), number(d, "imageTopPosition")};
    }

    private static NamedNodeMap descriptor(IIOMetadata metadata) {
        Node root = metadata.getAsTree(FORMAT);
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeName().equals("ImageDescriptor")) {
                return child.getAttributes();
            }
        }
        throw new ImageRejectedException(Reason.UNDECODABLE, "GIF frame has no image descriptor");
    }

    private static int number(NamedNodeMap attributes, String name) {
        return Integer.parseInt(attributes.getNamedItem(name).getNodeValue());
    }
}
