package io.oshigan.crop.domain;

public record ImageHeader(ImageFormat format, int width, int height) {
    public long pixels() {
        return (long) width * height;
    }
}
