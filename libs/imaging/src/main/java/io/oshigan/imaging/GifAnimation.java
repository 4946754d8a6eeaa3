package io.oshigan.imaging;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * An animated GIF that loops forever, written a frame at a time with the JDK's GIF writer (each frame quantised to
 * its own 256-colour palette by the JDK), so only one frame is in memory at once. The JDK has no switch for the
 * frame delay or the loop: they are the GIF's Graphic Control and NETSCAPE2.0 extensions, set here.
 */
public final class GifAnimation implements AutoCloseable {
    private static final String FORMAT = "javax_imageio_gif_image_1.0";
    private final ImageWriter writer;
    private final ImageOutputStream out;
    private final int delayCentiseconds;
    private int frames;

    /** Starts an animation on {@code target} (not closed by {@link #close()}), showing each frame {@code delayMillis}. */
    public GifAnimation(OutputStream target, int delayMillis) {
        if (delayMillis < 10 || delayMillis > 655_350) {
            throw new IllegalArgumentException("a GIF frame shows 10 ms to 655 s, not " + delayMillis + " ms");
        }
        this.delayCentiseconds = delayMillis / 10;
        this.writer = ImageIO.getImageWritersByFormatName("gif").next();
        try {
            this.out = new MemoryCacheImageOutputStream(target); // ImageIO's default would buffer in a temporary file
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
        } catch (IOException e) {
            throw new UncheckedIOException("starting a GIF failed", e);
        }
    }

    /** Appends a frame (any RGB image; the first frame's size is the animation's). */
    public GifAnimation add(BufferedImage frame) {
        ImageWriteParam param = writer.getDefaultWriteParam();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
        try {
            metadata.mergeTree(FORMAT, extensions(frames == 0));
            writer.writeToSequence(new IIOImage(frame, null, metadata), param);
        } catch (IIOInvalidTreeException e) {
            throw new IllegalStateException("the JDK's GIF writer refused the frame metadata", e);
        } catch (IOException e) {
            throw new UncheckedIOException("writing GIF frame " + frames + " failed", e);
        }
        frames++;
        return this;
    }

    public int frames() {
        return frames;
    }

    /** Ends the GIF (its trailer) and flushes it to the target. */
    @Override
    public void close() {
        try {
            if (frames > 0) { // a GIF of no frame is nothing: the caller discards it
                writer.endWriteSequence();
            }
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("ending a GIF failed", e);
        } finally {
            writer.dispose();
        }
    }

    private IIOMetadataNode extensions(boolean first) {
        IIOMetadataNode root = new IIOMetadataNode(FORMAT);
        IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delayCentiseconds));
        control.setAttribute("transparentColorIndex", "0");
        root.appendChild(control);
        if (first) { // NETSCAPE2.0: loop count 0 = forever, once, before the first frame
            IIOMetadataNode applications = new IIOMetadataNode("ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[]{1, 0, 0});
            applications.appendChild(loop);
            root.appendChild(applications);
        }
        return root;
    }
}
