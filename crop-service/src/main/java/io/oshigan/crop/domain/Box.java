package io.oshigan.crop.domain;

/** A detected face in source pixels. */
public record Box(int x, int y, int width, int height) {
}
