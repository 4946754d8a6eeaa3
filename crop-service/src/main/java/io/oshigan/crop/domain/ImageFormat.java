package io.oshigan.crop.domain;

/** The formats the service crops. */
public enum ImageFormat {
    JPEG, PNG, BMP, GIF, WEBP
}
