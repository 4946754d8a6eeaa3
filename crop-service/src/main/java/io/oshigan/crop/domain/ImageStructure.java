package io.oshigan.crop.domain;

import java.nio.charset.StandardCharsets;

import static io.oshigan.crop.domain.ImageRejectedException.Reason;

/**
 * An upload's size and whether it is whole, read from the fields each format puts at known places (PNG's IHDR, GIF's
 * logical screen, BMP's DIB header, WebP's first chunk, JPEG's frame header) and from its chunk or marker structure,
 * with every length checked against the bytes there are before it is followed. Nothing here allocates by what a file
 * claims, decompresses, or goes back: a hostile header costs at most one pass over the bytes. (A metadata library did
 * this before and read every chunk the file declared: a 57-byte PNG declaring a 2 GB text chunk made it allocate
 * 2 GB and ended the service.)
 */
final class ImageStructure {
    private ImageStructure() {
    }

    /** Width and height as the header states them (0 or negative where it states an impossible size). */
    static ImageHeader header(ImageFormat format, byte[] data) {
        return switch (format) {
            case PNG -> png(data);
            case GIF -> new ImageHeader(format, le16(need(data, 10, "GIF", "logical screen"), 6), le16(data, 8));
            case BMP -> bmp(data);
            case WEBP -> webp(data);
            case JPEG -> JpegStructure.header(data);
        };
    }

    /**
     * Refuses an upload that is cut off (TRUNCATED) or whose structure is broken (UNDECODABLE): a PNG ends with IEND
     * and a JPEG with the end-of-image marker, each found by following the structure (what comes after them, such as
     * the video a phone appends to a motion photo, is not looked at). GIF, BMP and WebP are not checked here: their
     * decoders say when data is missing.
     */
    static void checkWhole(ImageFormat format, byte[] data) {
        if (format == ImageFormat.PNG) {
            pngWhole(data);
        } else if (format == ImageFormat.JPEG && !JpegStructure.ends(data)) {
            throw cutOff(format, data, "has no end-of-image marker");
        }
    }

    static ImageRejectedException cutOff(ImageFormat format, byte[] data, String what) {
        return new ImageRejectedException(Reason.TRUNCATED, format + " of " + data.length + " bytes " + what
                + ": the upload is cut off");
    }

    private static ImageHeader png(byte[] d) {
        need(d, 8 + 8 + 13, "PNG", "IHDR chunk");
        if (be32(d, 8) != 13 || !type(d, 12, "IHDR")) {
            throw new ImageRejectedException(Reason.UNDECODABLE, "PNG does not start with its IHDR chunk (13 bytes)");
        }
        return new ImageHeader(ImageFormat.PNG, be32(d, 16), be32(d, 20)); // over 2^31 - 1 reads negative: refused
    }

    /** Chunk by chunk to IEND; a chunk's type is four letters, else what is read as one is damaged data. */
    private static void pngWhole(byte[] d) {
        long at = 8;
        while (at + 12 <= d.length) {
            int type = (int) at + 4;
            if (!letters(d, type)) {
                throw new ImageRejectedException(Reason.UNDECODABLE, "PNG has no chunk at byte " + at + " (its type "
                        + "bytes are " + java.util.HexFormat.ofDelimiter(" ").formatHex(d, type, type + 4)
                        + "): the data is damaged");
            }
            if (type(d, type, "IEND")) {
                return;
            }
            long length = be32(d, (int) at) & 0xFFFF_FFFFL;
            if (at + 12 + length > d.length) {
                throw cutOff(ImageFormat.PNG, d, "has a chunk '" + new String(d, type, 4, StandardCharsets.US_ASCII)
                        + "' of " + length + " bytes at byte " + at + " that runs past its end");
            }
            at += 12 + length;
        }
        throw cutOff(ImageFormat.PNG, d, "has no IEND chunk");
    }

    private static boolean letters(byte[] d, int at) {
        for (int i = at; i < at + 4; i++) {
            if (!(d[i] >= 'A' && d[i] <= 'Z' || d[i] >= 'a' && d[i] <= 'z')) {
                return false;
            }
        }
        return true;
    }

    private static ImageHeader bmp(byte[] d) {
        need(d, 14 + 12, "BMP", "DIB header");
        int dib = le32(d, 14);
        if (dib == 12) { // OS/2 1.x: 16-bit sides
            return new ImageHeader(ImageFormat.BMP, le16(d, 18), le16(d, 20));
        }
        if (dib < 16) {
            throw new ImageRejectedException(Reason.UNDECODABLE, "BMP has a DIB header of " + dib + " bytes, which no "
                    + "version of the format has");
        }
        // signed: a negative height is a top-down image (Math.abs of the smallest int stays negative: refused)
        return new ImageHeader(ImageFormat.BMP, Math.abs(le32(d, 18)), Math.abs(le32(d, 22)));
    }

    private static ImageHeader webp(byte[] d) {
        need(d, 20, "WebP", "first chunk");
        if (type(d, 12, "VP8X")) {   // extended: the canvas, 24 bits a side, stored less one
            need(d, 30, "WebP", "VP8X chunk");
            return new ImageHeader(ImageFormat.WEBP, le24(d, 24) + 1, le24(d, 27) + 1);
        }
        if (type(d, 12, "VP8L")) {   // lossless: signature 0x2F, then 14 bits a side, less one
            need(d, 25, "WebP", "VP8L header");
            if (d[20] != 0x2F) {
                throw new ImageRejectedException(Reason.UNDECODABLE, "WebP lossless data has no signature byte");
            }
            int bits = le32(d, 21);
            return new ImageHeader(ImageFormat.WEBP, (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
        }
        if (type(d, 12, "VP8 ")) {   // lossy: a key frame's start code, then 14 bits a side (2 bits of scale above)
            need(d, 30, "WebP", "VP8 frame header");
            if ((d[23] & 0xFF) != 0x9D || (d[24] & 0xFF) != 0x01 || (d[25] & 0xFF) != 0x2A) {
                throw new ImageRejectedException(Reason.UNDECODABLE, "WebP lossy data does not start with a key frame");
            }
            return new ImageHeader(ImageFormat.WEBP, le16(d, 26) & 0x3FFF, le16(d, 28) & 0x3FFF);
        }
        throw new ImageRejectedException(Reason.UNDECODABLE, "WebP has no VP8, VP8L or VP8X chunk first");
    }

    /** The data, where it has at least {@code bytes}; else a refusal naming what the upload ends before. */
    static byte[] need(byte[] data, int bytes, String format, String what) {
        if (data.length < bytes) {
            throw new ImageRejectedException(Reason.TRUNCATED, format + " of " + data.length + " bytes ends before its "
                    + what + ": the upload is cut off");
        }
        return data;
    }

    private static boolean type(byte[] d, int at, String name) {
        for (int i = 0; i < 4; i++) {
            if (d[at + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int be16(byte[] d, int at) {
        return (d[at] & 0xFF) << 8 | d[at + 1] & 0xFF;
    }

    private static int be32(byte[] d, int at) {
        return be16(d, at) << 16 | be16(d, at + 2);
    }

    private static int le16(byte[] d, int at) {
        return d[at] & 0xFF | (d[at + 1] & 0xFF) << 8;
    }

    private static int le24(byte[] d, int at) {
        return le16(d, at) | (d[at + 2] & 0xFF) << 16;
    }

    private static int le32(byte[] d, int at) {
        return le16(d, at) | le16(d, at + 2) << 16;
    }
}
