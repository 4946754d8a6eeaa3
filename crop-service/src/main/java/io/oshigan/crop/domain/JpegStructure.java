package io.oshigan.crop.domain;

import static io.oshigan.crop.domain.ImageRejectedException.Reason;
import static io.oshigan.crop.domain.ImageStructure.be16;

/**
 * A JPEG's structure for {@link ImageStructure}: its markers, each segment skipped by its 16-bit length, to the frame
 * header (the size) and to the end-of-image marker (whether it is whole). One pass, nothing allocated.
 */
final class JpegStructure {
    private static final byte[] NOT_START_OF_FRAME = {(byte) 0xC4, (byte) 0xC8, (byte) 0xCC}; // DHT, JPG, DAC

    private JpegStructure() {
    }

    /** The markers from the start to the frame header, each segment skipped by its length. */
    static ImageHeader header(byte[] d) {
        int at = 2;
        while (at + 4 <= d.length) {
            int marker = d[at + 1] & 0xFF;
            if ((d[at] & 0xFF) != 0xFF || marker == 0xFF) {
                at++; // a fill byte, or a stray byte between segments (decoders skip those too)
                continue;
            }
            if (marker == 0x00 || marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                at += 2; // a marker without a segment, or a stuffed FF 00 out of place (decoders skip both)
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                throw new ImageRejectedException(Reason.UNDECODABLE, "JPEG has no frame header before its "
                        + (marker == 0xDA ? "image data" : "end"));
            }
            int length = be16(d, at + 2);
            if (startOfFrame(marker)) {
                ImageStructure.need(d, at + 9, "JPEG", "frame header");
                return new ImageHeader(ImageFormat.JPEG, be16(d, at + 7), be16(d, at + 5));
            }
            if (length < 2) {
                throw new ImageRejectedException(Reason.UNDECODABLE, "JPEG segment at byte " + at + " has a length of "
                        + length);
            }
            at += 2 + length;
        }
        throw ImageStructure.cutOff(ImageFormat.JPEG, d, "ends before its frame header");
    }

    private static boolean startOfFrame(int marker) {
        if (marker < 0xC0 || marker > 0xCF) {
            return false;
        }
        for (byte other : NOT_START_OF_FRAME) {
            if (marker == (other & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the end-of-image marker comes: segments skipped by their lengths, image data scanned for the marker that
     * ends it (in image data 0xFF is followed by 0x00, a restart marker or another 0xFF); bytes between segments that
     * are no marker are skipped as decoders skip them.
     */
    static boolean ends(byte[] d) {
        int at = 2;
        boolean inScan = false;
        while (at + 1 < d.length) {
            if ((d[at] & 0xFF) != 0xFF) {
                at++;
                continue;
            }
            int marker = d[at + 1] & 0xFF;
            if (marker == 0xD9) {
                return true;
            }
            if (marker == 0xFF) {
                at++;
            } else if (marker == 0x00 || marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                at += 2;
            } else if (inScan && marker < 0xC0) {
                at += 2; // not a marker (a damaged scan): the decoder judges the data
            } else {
                if (at + 4 > d.length) {
                    return false;
                }
                int length = be16(d, at + 2);
                if (length < 2) {
                    return false;
                }
                at += 2 + length;
                inScan = marker == 0xDA;
            }
        }
        return false;
    }
}
