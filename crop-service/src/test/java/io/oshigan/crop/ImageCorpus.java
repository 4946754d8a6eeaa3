package io.oshigan.crop;

import io.oshigan.crop.domain.Box;
import io.oshigan.crop.domain.OpenCv;
import io.oshigan.testkit.Fixtures;
import io.oshigan.testkit.HostileImages;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test images: the five fixture sprites with the boxes the reference pipeline finds in them, and a corpus of
 * awkward and broken uploads made from them on the fly.
 */
public final class ImageCorpus {
    /** (x, y, w, h) the reference script finds; lucy-mad has no face. */
    public static final Map<String, Box> SPRITES = new LinkedHashMap<>();

    static {
        SPRITES.put("eileen-concerned", new Box(52, 78, 219, 219));
        SPRITES.put("eileen-happy", new Box(49, 76, 223, 223));
        SPRITES.put("eileen-vhappy", new Box(52, 80, 216, 216));
        SPRITES.put("lucy-happy", new Box(134, 114, 163, 163));
        SPRITES.put("lucy-mad", null);
    }

    private ImageCorpus() {
    }

    public static byte[] sprite(String name) {
        try {
            return Files.readAllBytes(Fixtures.path("anime/" + name + ".png"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A box as a manifest records it, near the expected one. */
    public static boolean near(io.oshigan.contracts.FaceCropped.Box actual, Box expected, int tolerance) {
        return near(new Box(actual.x(), actual.y(), actual.width(), actual.height()), expected, tolerance);
    }

    public static boolean near(Box actual, Box expected, int tolerance) {
        return Math.abs(actual.x() - expected.x()) <= tolerance && Math.abs(actual.y() - expected.y()) <= tolerance
                && Math.abs(actual.width() - expected.width()) <= tolerance
                && Math.abs(actual.height() - expected.height()) <= tolerance;
    }

    /**
     * A sheet of {@code side x side} copies of a sprite's face, each scaled into an {@code tile}-pixel square with its
     * surroundings, as a PNG: a sprite sheet with as many faces as wanted.
     */
    public static byte[] faceSheet(String name, int side, int tile) {
        Mat sprite = spriteMat(name);
        Box face = SPRITES.get(name);
        int margin = face.width() / 5;
        Mat region = sprite.submat(new org.opencv.core.Rect(face.x() - margin, face.y() - margin,
                face.width() + 2 * margin, face.height() + 2 * margin));
        Mat small = new Mat();
        org.opencv.imgproc.Imgproc.resize(region, small, new org.opencv.core.Size(tile, tile), 0, 0,
                org.opencv.imgproc.Imgproc.INTER_AREA);
        Mat sheet = new Mat(side * tile, side * tile, sprite.type());
        for (int row = 0; row < side; row++) {
            for (int col = 0; col < side; col++) {
                small.copyTo(sheet.submat(row * tile, (row + 1) * tile, col * tile, (col + 1) * tile));
            }
        }
        byte[] png = encode(sheet, ".png");
        sprite.release();
        small.release();
        sheet.release();
        return png;
    }

    static Mat spriteMat(String name) {
        OpenCv.load();
        return Imgcodecs.imdecode(new MatOfByte(sprite(name)), Imgcodecs.IMREAD_COLOR);
    }

    static byte[] encode(Mat image, String extension, int... params) {
        MatOfByte out = new MatOfByte();
        if (!Imgcodecs.imencode(extension, image, out, new MatOfInt(params))) {
            throw new IllegalStateException("cannot encode " + extension);
        }
        return out.toArray();
    }

    public static byte[] truncatedJpeg() {
        byte[] jpeg = encode(spriteMat("eileen-happy"), ".jpg");
        return Arrays.copyOf(jpeg, jpeg.length * 6 / 10);
    }

    public static byte[] sixteenBitPng() {
        Mat wide = new Mat();
        spriteMat("eileen-happy").convertTo(wide, CvType.CV_16UC3, 257);
        return encode(wide, ".png");
    }

    public static byte[] greyPng() {
        Mat grey = new Mat();
        Imgproc.cvtColor(spriteMat("eileen-happy"), grey, Imgproc.COLOR_BGR2GRAY);
        return encode(grey, ".png");
    }

    public static byte[] bmp() {
        return encode(spriteMat("eileen-concerned"), ".bmp");
    }

    public static byte[] losslessWebp() {
        return encode(spriteMat("lucy-happy"), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101);
    }

    /** Lossy WebP: a plain VP8 chunk. */
    public static byte[] lossyWebp() {
        return encode(spriteMat("lucy-happy"), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 100);
    }

    /** Lossy WebP with an alpha channel: the extended form (a VP8X chunk first, then ALPH and VP8). */
    public static byte[] alphaWebp() {
        Mat bgra = new Mat();
        Imgproc.cvtColor(spriteMat("lucy-happy"), bgra, Imgproc.COLOR_BGR2BGRA);
        // a translucent top row: an alpha channel that is all opaque is left out of the file
        bgra.row(0).setTo(new org.opencv.core.Scalar(255, 255, 255, 128));
        return encode(bgra, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 100);
    }

    /** {@code image} with {@code bytes} more after its end, as a phone appends a video to a motion photo. */
    public static byte[] withTrailer(byte[] image, int bytes) {
        byte[] out = Arrays.copyOf(image, image.length + bytes);
        new java.util.Random(bytes).nextBytes(out);
        System.arraycopy(image, 0, out, 0, image.length);
        byte[] mp4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'};
        System.arraycopy(mp4, 0, out, image.length, Math.min(bytes, mp4.length));
        return out;
    }

    /**
     * {@code jpeg} with a stray {@code FF 00} between its first segment and the next (an editor's padding): decoders
     * skip it as two extraneous bytes.
     */
    public static byte[] withStrayBytesBeforeTheFrame(byte[] jpeg) {
        int at = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF)); // after SOI and the first segment
        byte[] out = new byte[jpeg.length + 2];
        System.arraycopy(jpeg, 0, out, 0, at);
        out[at] = (byte) 0xFF;
        System.arraycopy(jpeg, at, out, at + 2, jpeg.length - at);
        return out;
    }

    public static byte[] progressiveJpeg() {
        return encode(spriteMat("eileen-vhappy"), ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 95,
                Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1);
    }

    /**
     * CMYK JPEG as print workflows (Photoshop) store them: inverted ink values, four components, written by the JDK's
     * encoder from a 4-band raster.
     */
    public static byte[] cmykJpeg() {
        BufferedImage rgb = toBufferedImage(spriteMat("eileen-happy"));
        WritableRaster cmyk = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE,
                rgb.getWidth(), rgb.getHeight(), 4, null);
        int[] px = new int[4];
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                int c = rgb.getRGB(x, y);
                int r = (c >> 16) & 255, g = (c >> 8) & 255, b = c & 255;
                int k = 255 - Math.max(r, Math.max(g, b));
                px[0] = r + k; // 255 - cyan
                px[1] = g + k;
                px[2] = b + k;
                px[3] = 255 - k;
                cmyk.setPixel(x, y, px);
            }
        }
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            writer.setOutput(out);
            writer.write(null, new IIOImage(cmyk, null, null), writer.getDefaultWriteParam());
            writer.dispose();
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 8-bit palette PNG (the JDK quantises to its default 256-colour palette). */
    public static byte[] palettePng() {
        BufferedImage rgb = toBufferedImage(spriteMat("eileen-happy"));
        BufferedImage indexed = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
        indexed.getGraphics().drawImage(rgb, 0, 0, null);
        return write(indexed, "png");
    }

    /** Two frames: a face first, then a sprite without one. Only the first frame counts. */
    /**
     * A GIF whose canvas is larger than its one frame, the sprite, which lies at ({@code left}, {@code top}): the
     * canvas is {@code left + 80} wider and {@code top + 80} higher than the sprite.
     */
    public static byte[] gifWithFrameAt(String sprite, int left, int top) {
        BufferedImage frame = toBufferedImage(spriteMat(sprite));
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(frame);
            IIOMetadata stream = writer.getDefaultStreamMetadata(param);
            String streamFormat = stream.getNativeMetadataFormatName();
            IIOMetadataNode streamRoot = (IIOMetadataNode) stream.getAsTree(streamFormat);
            IIOMetadataNode screen = new IIOMetadataNode("LogicalScreenDescriptor");
            screen.setAttribute("logicalScreenWidth", String.valueOf(frame.getWidth() + left + 80));
            screen.setAttribute("logicalScreenHeight", String.valueOf(frame.getHeight() + top + 80));
            screen.setAttribute("colorResolution", "8");
            screen.setAttribute("pixelAspectRatio", "0");
            streamRoot.appendChild(screen);
            stream.setFromTree(streamFormat, streamRoot);
            IIOMetadata image = writer.getDefaultImageMetadata(type, param);
            String format = image.getNativeMetadataFormatName();
            IIOMetadataNode root = (IIOMetadataNode) image.getAsTree(format);
            IIOMetadataNode descriptor = (IIOMetadataNode) root.getElementsByTagName("ImageDescriptor").item(0);
            descriptor.setAttribute("imageLeftPosition", String.valueOf(left));
            descriptor.setAttribute("imageTopPosition", String.valueOf(top));
            image.setFromTree(format, root);
            writer.write(stream, new IIOImage(frame, null, image), param);
            writer.dispose();
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] animatedGif() {
        BufferedImage first = toBufferedImage(spriteMat("eileen-happy"));
        BufferedImage second = toBufferedImage(spriteMat("lucy-mad"));
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : new BufferedImage[]{first, second}) {
                ImageWriteParam param = writer.getDefaultWriteParam();
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "50");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                metadata.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), param);
            }
            writer.endWriteSequence();
            writer.dispose();
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG whose header claims 30000x30000 RGB pixels: see {@link HostileImages#pngBomb()}. */
    public static byte[] pngBomb() {
        return HostileImages.pngBomb();
    }

    private static BufferedImage toBufferedImage(Mat bgr) {
        BufferedImage image = new BufferedImage(bgr.width(), bgr.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        bgr.get(0, 0, data);
        return image;
    }

    private static byte[] write(BufferedImage image, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
