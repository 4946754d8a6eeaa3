package io.oshigan.crop.domain;

import java.util.List;

/** Everything one upload gave; no faces is a valid result. */
public record CropResult(ImageHeader header, List<FaceCrop> faces) {
}
