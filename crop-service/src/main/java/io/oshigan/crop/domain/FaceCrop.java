package io.oshigan.crop.domain;

/** One face: where it was, and the square PNG cut from there. */
public record FaceCrop(int index, Box box, byte[] png, String sha256) {
}
