package io.oshigan.crop.domain;

import org.opencv.core.Mat;

import java.util.List;

/** Finds face boxes in a BGR image; {@link FaceDetector} is the reference cascade. */
public interface Detector {

    /** Boxes in the detector's order; the order gives the face indexes. */
    List<Box> detect(Mat bgr);

    DetectionParams params();
}
