package io.oshigan.crop.domain;

import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;

import static io.oshigan.crop.domain.ImageRejectedException.Reason;

/**
 * Reads what an upload is from its bytes, never from its name or content type (its signature; the size from the
 * format's own header fields, {@link ImageStructure}), and checks the limits from the header alone, before any pixel
 * is decoded.
 */
public final class ImageHeaders {
    private final ImageLimits limits;

    public ImageHeaders(ImageLimits limits) {
        this.limits = limits;
    }

    public ImageLimits limits() {
        return limits;
    }

    public ImageHeader read(byte[] data) {
        if (data.length == 0) {
            throw new ImageRejectedException(Reason.EMPTY, "the object is empty (0 bytes)");
        }
        if (data.length > limits.maxBytes()) {
            throw tooLarge(data.length);
        }
        ImageFormat format = format(data);
        ImageHeader header = ImageStructure.header(format, data);
        if (header.width() <= 0 || header.height() <= 0) {
            throw new ImageRejectedException(Reason.UNDECODABLE, format + " header gives an impossible size "
                    + header.width() + "x" + header.height());
        }
        if (header.pixels() > limits.maxPixels()) {
            throw new ImageRejectedException(Reason.TOO_MANY_PIXELS, format + " of " + header.width() + "x"
                    + header.height() + " = " + header.pixels() + " pixels; the limit is " + limits.maxPixels()
                    + " (refused before decoding)");
        }
        if (format == ImageFormat.GIF) {
            GifFrames.check(data, header.width(), header.height(), limits.maxPixels());
        }
        ImageStructure.checkWhole(format, data);
        return header;
    }

    public ImageRejectedException tooLarge(long size) {
        return new ImageRejectedException(Reason.TOO_LARGE, "the object has " + size + " bytes; the limit is "
                + limits.maxBytes());
    }

    private static ImageFormat format(byte[] data) {
        FileType type;
        try {
            type = FileTypeDetector.detectFileType(new BufferedInputStream(new ByteArrayInputStream(data)));
        } catch (IOException e) {
            throw new ImageRejectedException(Reason.NOT_AN_IMAGE, "its type cannot be read: " + e.getMessage());
        }
        return switch (type) {
            case Jpeg -> ImageFormat.JPEG;
            case Png -> ImageFormat.PNG;
            case Bmp -> ImageFormat.BMP;
            case Gif -> ImageFormat.GIF;
            case WebP -> ImageFormat.WEBP;
            case Unknown -> throw new ImageRejectedException(Reason.NOT_AN_IMAGE, "no image signature (JPEG, PNG, "
                    + "BMP, GIF or WebP) at its start; first bytes " + firstBytes(data));
            default -> throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, type.getLongName()
                    + " is not supported; upload JPEG, PNG, BMP, GIF or WebP");
        };
    }

    private static String firstBytes(byte[] data) {
        int n = Math.min(8, data.length);
        byte[] head = java.util.Arrays.copyOf(data, n);
        String printable = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".");
        return HexFormat.ofDelimiter(" ").formatHex(head) + " (\"" + printable + "\")";
    }
}
