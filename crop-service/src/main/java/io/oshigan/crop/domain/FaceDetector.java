package io.oshigan.crop.domain;

import org.opencv.core.Mat;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.CascadeClassifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference detector: grey, equalised histogram, LBP cascade. A cascade classifier is not safe to share
 * between threads, so each thread loads its own copy.
 */
public final class FaceDetector implements Detector {
    public static final String CASCADE_FILE = "lbpcascade_animeface.xml";
    public static final String CASCADE_SHA256 = "9376d30ac38db6bda2a68b88b3b76bbd7e6aa33af47f7f5c76bc88ca75f1ce30";
    public static final String HOW_TO_GET_IT = "get " + CASCADE_FILE + " from https://github.com/nagadomi/"
            + "lbpcascade_animeface (commit 4433ab1ae1166ea75acfe99eb0f18709dac329a0, sha256 " + CASCADE_SHA256
            + ") and point oshigan.crop.cascade (env OSHIGAN_CROP_CASCADE, or ./oshigan run --cascade FILE) at it";

    private final Path cascade;
    private final DetectionParams params;
    private final ThreadLocal<CascadeClassifier> classifiers;

    /** Loads the cascade once to check it, so a bad path fails at start-up, not at the first upload. */
    public FaceDetector(Path cascade, DetectionParams params) {
        OpenCv.load();
        this.cascade = cascade;
        this.params = params;
        if (!Files.isRegularFile(cascade)) {
            throw new IllegalStateException("face cascade " + cascade.toAbsolutePath() + " does not exist: " + HOW_TO_GET_IT);
        }
        load(cascade);
        this.classifiers = ThreadLocal.withInitial(() -> load(cascade));
    }

    @Override
    public DetectionParams params() {
        return params;
    }

    @Override
    public List<Box> detect(Mat bgr) {
        Mat grey = new Mat();
        MatOfRect found = new MatOfRect();
        try {
            Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
            Imgproc.equalizeHist(grey, grey);
            classifiers.get().detectMultiScale(grey, found, params.scaleFactor(), params.minNeighbors(), 0,
                    new Size(params.minSize(), params.minSize()), new Size());
            List<Box> boxes = new ArrayList<>();
            for (Rect r : found.toArray()) {
                boxes.add(new Box(r.x, r.y, r.width, r.height));
            }
            return boxes;
        } finally {
            grey.release();
            found.release();
        }
    }

    private static CascadeClassifier load(Path cascade) {
        CascadeClassifier classifier = new CascadeClassifier();
        boolean loaded;
        try {
            loaded = classifier.load(cascade.toAbsolutePath().toString()) && !classifier.empty();
        } catch (RuntimeException e) { // OpenCV throws CvException for files it cannot parse at all
            loaded = false;
        }
        if (!loaded) {
            throw new IllegalStateException("face cascade " + cascade.toAbsolutePath()
                    + " is not a valid OpenCV cascade: " + HOW_TO_GET_IT);
        }
        return classifier;
    }

    @Override
    public String toString() {
        return "FaceDetector[" + cascade + ", " + params + "]";
    }
}
