package io.oshigan.crop.domain;

import io.oshigan.storage.ObjectKeys;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.List;

/**
 * One upload's bytes to its face crops, exactly as the reference script: header checks, decode, detect, and every
 * box cut out and resized to a square with bilinear interpolation ({@code cv2.resize} defaults), stored as PNG.
 */
public final class CropPipeline {
    private final ImageHeaders headers;
    private final ImageDecoder decoder;
    private final Detector detector;
    private final PixelBudget budget;

    public CropPipeline(ImageHeaders headers, ImageDecoder decoder, Detector detector) {
        this(headers, decoder, detector, PixelBudget.unlimited());
    }

    public CropPipeline(ImageHeaders headers, ImageDecoder decoder, Detector detector, PixelBudget budget) {
        this.budget = budget;
        this.headers = headers;
        this.decoder = decoder;
        this.detector = detector;
    }

    public ImageHeaders headers() {
        return headers;
    }

    /**
     * @throws ImageRejectedException          the bytes can never be cropped: a failed check, or any error of the
     *                                         decoder or detector on them (it would fail the same way every time)
     * @throws NativeMemoryExhaustedException OpenCV could not allocate memory; the same bytes may succeed later
     */
    public CropResult run(byte[] data) {
        try {
            return cropAll(data);
        } catch (ImageRejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (OpenCv.isOutOfMemory(e)) {
                throw new NativeMemoryExhaustedException(e);
            }
            throw new ImageRejectedException(ImageRejectedException.Reason.PROCESSING_FAILED,
                    e.getClass().getSimpleName() + ": " + OpenCv.firstLine(e));
        }
    }

    private CropResult cropAll(byte[] data) {
        ImageHeader header = headers.read(data);
        try (PixelBudget.Lease ignored = budget.acquire(header.pixels())) {
            Mat image = decoder.decode(data, header);
            try {
                List<Box> boxes = detector.detect(image);
                if (boxes.size() > ObjectKeys.MAX_FACES_PER_SOURCE) {
                    throw new ImageRejectedException(ImageRejectedException.Reason.TOO_MANY_FACES, boxes.size()
                            + " faces found; one upload may give at most " + ObjectKeys.MAX_FACES_PER_SOURCE
                            + " (split the sheet)");
                }
                List<FaceCrop> faces = new ArrayList<>(boxes.size());
                for (int i = 0; i < boxes.size(); i++) {
                    byte[] png = cropToPng(image, boxes.get(i), detector.params().cropSize());
                    faces.add(new FaceCrop(i, boxes.get(i), png, ObjectKeys.sha256Hex(png)));
                }
                return new CropResult(header, faces);
            } finally {
                image.release();
            }
        }
    }

    private static byte[] cropToPng(Mat image, Box box, int size) {
        Mat region = image.submat(new Rect(box.x(), box.y(), box.width(), box.height()));
        Mat resized = new Mat();
        MatOfByte png = new MatOfByte();
        try {
            Imgproc.resize(region, resized, new Size(size, size), 0, 0, Imgproc.INTER_LINEAR);
            if (!Imgcodecs.imencode(".png", resized, png)) {
                throw new IllegalStateException("OpenCV could not encode a " + size + "x" + size + " PNG");
            }
            return png.toArray();
        } finally {
            region.release();
            resized.release();
            png.release();
        }
    }
}
