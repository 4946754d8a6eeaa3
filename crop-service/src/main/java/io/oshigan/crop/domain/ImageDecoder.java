package io.oshigan.crop.domain;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static io.oshigan.crop.domain.ImageRejectedException.Reason;

/**
 * Bytes to an 8-bit BGR matrix, as {@code cv2.imread(path, IMREAD_COLOR)} gives it: grey expanded, 16-bit scaled
 * down, palette resolved, alpha dropped (or composited, see {@link AlphaMode}). GIF, which this OpenCV build does not
 * read, is decoded by the JDK: its first frame. The caller releases the matrix.
 */
public final class ImageDecoder {
    private final AlphaMode alpha;

    public ImageDecoder(AlphaMode alpha) {
        OpenCv.load();
        this.alpha = alpha;
    }

    public Mat decode(byte[] data, ImageHeader header) {
        Mat image = header.format() == ImageFormat.GIF ? firstGifFrame(data, header) : decodeWithOpenCv(data, header);
        if (image.empty() || !sameSize(image, header)) {
            int w = image.width();
            int h = image.height();
            image.release();
            throw new ImageRejectedException(Reason.UNDECODABLE, header.format() + " data does not decode to the "
                    + header.width() + "x" + header.height() + " image its header announces (got " + w + "x" + h + ")");
        }
        return image;
    }

    /** EXIF orientation (which IMREAD_COLOR applies, like the reference) may swap the sides. */
    private static boolean sameSize(Mat image, ImageHeader header) {
        return (image.width() == header.width() && image.height() == header.height())
                || (image.width() == header.height() && image.height() == header.width());
    }

    private Mat decodeWithOpenCv(byte[] data, ImageHeader header) {
        MatOfByte encoded = new MatOfByte(data);
        try {
            if (alpha == AlphaMode.DROP) {
                return Imgcodecs.imdecode(encoded, Imgcodecs.IMREAD_COLOR);
            }
            Mat raw = Imgcodecs.imdecode(encoded, Imgcodecs.IMREAD_UNCHANGED);
            return raw.empty() ? raw : onWhite(raw);
        } finally {
            encoded.release();
        }
    }

    private static Mat onWhite(Mat raw) {
        Mat image = raw;
        if (raw.depth() == CvType.CV_16U) {
            image = new Mat();
            raw.convertTo(image, CvType.CV_8U, 1.0 / 257);
            raw.release();
        }
        Mat bgr = new Mat();
        switch (image.channels()) {
            case 1 -> Imgproc.cvtColor(image, bgr, Imgproc.COLOR_GRAY2BGR);
            case 3 -> image.copyTo(bgr);
            default -> compositeOnWhite(image, bgr);
        }
        image.release();
        return bgr;
    }

    private static void compositeOnWhite(Mat bgra, Mat bgr) {
        List<Mat> channels = new ArrayList<>();
        Core.split(bgra, channels);
        Mat alpha = new Mat();
        channels.get(3).convertTo(alpha, CvType.CV_32F, 1.0 / 255);
        Mat inverse = new Mat();
        Core.subtract(Mat.ones(alpha.size(), CvType.CV_32F), alpha, inverse);
        List<Mat> out = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Mat colour = new Mat();
            channels.get(c).convertTo(colour, CvType.CV_32F);
            Core.multiply(colour, alpha, colour);
            Core.scaleAdd(inverse, 255.0, colour, colour);
            Mat eight = new Mat();
            colour.convertTo(eight, CvType.CV_8U);
            out.add(eight);
            colour.release();
        }
        Core.merge(out, bgr);
        channels.forEach(Mat::release);
        out.forEach(Mat::release);
        alpha.release();
        inverse.release();
    }

    /**
     * The first frame on its canvas: a frame has its own size and place (checked inside the canvas before decoding,
     * {@link GifFrames}); what it leaves of the canvas is black.
     */
    private static Mat firstGifFrame(byte[] data, ImageHeader canvas) {
        BufferedImage frame;
        int[] at;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("gif");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                at = GifFrames.position(reader.getImageMetadata(0));
                frame = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(Reason.UNDECODABLE, "GIF first frame cannot be decoded: " + e.getMessage());
        }
        int w = Math.min(frame.getWidth(), canvas.width() - at[0]);
        int h = Math.min(frame.getHeight(), canvas.height() - at[1]);
        byte[] bgr = new byte[canvas.width() * canvas.height() * 3];
        int[] row = new int[Math.max(w, 0)];
        for (int y = 0; y < h; y++) {
            frame.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int i = ((at[1] + y) * canvas.width() + at[0] + x) * 3;
                bgr[i] = (byte) row[x];
                bgr[i + 1] = (byte) (row[x] >> 8);
                bgr[i + 2] = (byte) (row[x] >> 16);
            }
        }
        Mat image = new Mat(canvas.height(), canvas.width(), CvType.CV_8UC3, Scalar.all(0));
        image.put(0, 0, bgr);
        return image;
    }
}
