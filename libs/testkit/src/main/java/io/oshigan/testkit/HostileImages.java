package io.oshigan.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Input built to hurt an image service. */
public final class HostileImages {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private HostileImages() {
    }

    /**
     * A PNG whose header claims 30000x30000 RGB (2.7 GB of pixels) with valid deflate data for its first rows:
     * a decoder that trusted the header would allocate it all.
     */
    public static byte[] pngBomb() {
        int width = 30_000;
        int height = 30_000;
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(PNG_SIGNATURE);
            chunk(out, "IHDR", ihdr(width, height));
            Deflater deflater = new Deflater(9);
            deflater.setInput(new byte[(1 + width * 3) * 64]);
            deflater.finish();
            byte[] buffer = new byte[1 << 16];
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            while (!deflater.finished()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A 35-byte GIF: a 1x1 canvas whose one frame declares 20000x20000 pixels (400 million). Its canvas passes any pixel
     * limit; a decoder that allocates the frame's raster from its descriptor runs out of memory.
     */
    public static byte[] gifFrameBeyondCanvas() {
        return gif(frame(0, 0, 20_000, 20_000));
    }

    /** A GIF whose first frame is a fine 1x1 image and whose second declares 20000x20000 on the same 1x1 canvas. */
    public static byte[] gifWithOneHugeFrame() {
        return gif(frame(0, 0, 1, 1), frame(0, 0, 20_000, 20_000));
    }

    /**
     * 20 bytes: a GIF with a canvas and a colour table but no frame. ImageIO's GIF reader recognises it and then throws
     * IndexOutOfBoundsException for the size of its first image: no IOException, which is all a reader's caller expects.
     */
    public static byte[] gifWithoutAFrame() {
        return gif();
    }

    /** A GIF with a 4x4 canvas and a 4x4 frame placed at (2, 2): it reaches outside its canvas. */
    public static byte[] gifFrameOutsideCanvas() {
        return gif(4, 4, frame(2, 2, 4, 4));
    }

    /**
     * 57 bytes: a PNG of 1x1 whose second chunk, a text chunk, declares 2 GB it does not have. A reader that allocates
     * a chunk by its declared length before reading it asks for 2 GB (under -XX:+ExitOnOutOfMemoryError, the end of
     * the process, for every delivery of the upload's event).
     */
    public static byte[] pngDeclaringAHugeChunk() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PNG_SIGNATURE);
        out.writeBytes(chunk("IHDR", ihdr(1, 1)));
        out.writeBytes(new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0, 't', 'E', 'X', 't'});
        out.writeBytes(new byte[16]);
        return out.toByteArray();
    }

    /**
     * {@code png} with a compressed text chunk (zTXt) before its image data that inflates to 256 MB from about 256 KB:
     * a reader that inflates text chunks without a limit holds it all. The image itself is untouched.
     */
    public static byte[] withTextBomb(byte[] png) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes("Comment".getBytes(StandardCharsets.US_ASCII));
        text.writeBytes(new byte[]{0, 0}); // keyword terminator, compression method 0 (deflate)
        Deflater deflater = new Deflater(9);
        byte[] zeros = new byte[1 << 20];
        byte[] buffer = new byte[1 << 16];
        for (int i = 0; i < 256; i++) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                text.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            text.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        int idat = indexOf(png, "IDAT".getBytes(StandardCharsets.US_ASCII)) - 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, idat);
        out.writeBytes(chunk("zTXt", text.toByteArray()));
        out.write(png, idat, png.length - idat);
        return out.toByteArray();
    }

    /**
     * A WebP of 1x1 (its VP8X chunk) whose next chunk, EXIF, declares 2 GB it does not have: what a chunk-by-chunk
     * reader allocates for it.
     */
    public static byte[] webpDeclaringAHugeChunk() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[]{0x30, 0, 0, 0});
        out.writeBytes("WEBPVP8X".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[]{10, 0, 0, 0, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // EXIF flag; canvas 1x1 (stored less one)
        out.writeBytes("EXIF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[]{(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F});
        out.writeBytes(new byte[16]);
        return out.toByteArray();
    }

    /**
     * {@code jpeg} with an extended-XMP segment after its start that announces 2 GB of XMP in all: a reader that
     * allocates the whole announced XMP on its first piece asks for 2 GB. The image itself is untouched.
     */
    public static byte[] withExtendedXmpBomb(byte[] jpeg) {
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        segment.writeBytes("http://ns.adobe.com/xmp/extension/".getBytes(StandardCharsets.US_ASCII));
        segment.write(0);
        segment.writeBytes("0123456789ABCDEF0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII)); // the GUID
        segment.writeBytes(new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0, 0, 0, 0, 0}); // full length, offset
        segment.writeBytes("<x:xmpmeta/>".getBytes(StandardCharsets.US_ASCII));
        int length = segment.size() + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(new byte[]{(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
        out.writeBytes(segment.toByteArray());
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found: " + new String(part, StandardCharsets.US_ASCII));
    }

    private static byte[] ihdr(int width, int height) {
        return new byte[]{(byte) (width >>> 24), (byte) (width >>> 16), (byte) (width >>> 8), (byte) width,
                (byte) (height >>> 24), (byte) (height >>> 16), (byte) (height >>> 8), (byte) height, 8, 2, 0, 0, 0};
    }

    private static byte[] chunk(String type, byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            chunk(out, type, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] gif(byte[]... frames) {
        return gif(1, 1, frames);
    }

    private static byte[] gif(int canvasWidth, int canvasHeight, byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
        littleEndian(out, canvasWidth);
        littleEndian(out, canvasHeight);
        out.writeBytes(new byte[]{(byte) 0x80, 0, 0}); // a global colour table of 2 entries
        out.writeBytes(new byte[]{0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        for (byte[] frame : frames) {
            out.writeBytes(frame);
        }
        out.write(0x3B);
        return out.toByteArray();
    }

    /** An image descriptor and a tiny LZW stream (clear, one pixel, end): valid to the first pixel. */
    private static byte[] frame(int left, int top, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x2C);
        littleEndian(out, left);
        littleEndian(out, top);
        littleEndian(out, width);
        littleEndian(out, height);
        out.write(0);
        out.writeBytes(new byte[]{2, 2, 0x44, 0x01, 0});
        return out.toByteArray();
    }

    private static void littleEndian(ByteArrayOutputStream out, int value) {
        out.write(value & 0xFF);
        out.write((value >> 8) & 0xFF);
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
