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
            out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeInt(width);
            h.writeInt(height);
            h.write(new byte[]{8, 2, 0, 0, 0});
            chunk(out, "IHDR", ihdr.toByteArray());
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

    /** A GIF with a 4x4 canvas and a 4x4 frame placed at (2, 2): it reaches outside its canvas. */
    public static byte[] gifFrameOutsideCanvas() {
        return gif(4, 4, frame(2, 2, 4, 4));
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
