package io.oshigan.crop.domain;

import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;

import static io.oshigan.crop.domain.ImageRejectedException.Reason;

/**
 * Reads what an upload is from its bytes, never from its name or content type, and checks the limits from the
 * header alone, before any pixel is decoded.
 */
public final class ImageHeaders {
    private static final byte[] PNG_IEND = {0x49, 0x45, 0x4E, 0x44, (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
    /** Some encoders pad after the end-of-image marker; a few bytes of slack keep those files. */
    private static final int TRAILER_SLACK = 64;

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
        ImageHeader header = dimensions(format, data);
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
        checkComplete(format, data);
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

    private static ImageHeader dimensions(ImageFormat format, byte[] data) {
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(data), data.length);
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            throw new ImageRejectedException(Reason.UNDECODABLE, format + " header cannot be read: " + e.getMessage());
        }
        return switch (format) {
            case JPEG -> size(format, metadata, JpegDirectory.class, JpegDirectory.TAG_IMAGE_WIDTH, JpegDirectory.TAG_IMAGE_HEIGHT);
            case PNG -> size(format, metadata, PngDirectory.class, PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT);
            case BMP -> size(format, metadata, BmpHeaderDirectory.class, BmpHeaderDirectory.TAG_IMAGE_WIDTH,
                    BmpHeaderDirectory.TAG_IMAGE_HEIGHT);
            case GIF -> size(format, metadata, GifHeaderDirectory.class, GifHeaderDirectory.TAG_IMAGE_WIDTH,
                    GifHeaderDirectory.TAG_IMAGE_HEIGHT);
            case WEBP -> size(format, metadata, WebpDirectory.class, WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT);
        };
    }

    private static ImageHeader size(ImageFormat format, Metadata metadata, Class<? extends Directory> type,
                                    int widthTag, int heightTag) {
        for (Directory directory : metadata.getDirectoriesOfType(type)) {
            Integer width = directory.getInteger(widthTag);
            Integer height = directory.getInteger(heightTag);
            if (width != null && height != null) {
                return new ImageHeader(format, Math.abs(width), Math.abs(height)); // BMP stores bottom-up as negative
            }
        }
        throw new ImageRejectedException(Reason.UNDECODABLE, format + " header has no image size");
    }

    /** A cut-off upload decodes to a half-grey image without complaint, so ask for the end marker. */
    private static void checkComplete(ImageFormat format, byte[] data) {
        boolean complete = switch (format) {
            case JPEG -> endsWithin(data, new byte[]{(byte) 0xFF, (byte) 0xD9});
            case PNG -> endsWithin(data, PNG_IEND);
            default -> true;
        };
        if (!complete) {
            throw new ImageRejectedException(Reason.TRUNCATED, format + " of " + data.length + " bytes has no "
                    + (format == ImageFormat.JPEG ? "end-of-image marker" : "IEND chunk") + ": the upload is cut off");
        }
    }

    private static boolean endsWithin(byte[] data, byte[] marker) {
        int from = Math.max(0, data.length - TRAILER_SLACK - marker.length);
        outer:
        for (int i = data.length - marker.length; i >= from; i--) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String firstBytes(byte[] data) {
        int n = Math.min(8, data.length);
        byte[] head = java.util.Arrays.copyOf(data, n);
        String printable = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".");
        return HexFormat.ofDelimiter(" ").formatHex(head) + " (\"" + printable + "\")";
    }
}
