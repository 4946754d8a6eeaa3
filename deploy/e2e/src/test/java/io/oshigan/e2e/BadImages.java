package io.oshigan.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Hostile input: a small, valid PNG whose header claims a huge size (a decompression bomb's first line). */
final class BadImages {
    private BadImages() {
    }

    static byte[] pngClaiming(int width, int height) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(header);
            h.writeInt(width);
            h.writeInt(height);
            h.write(new byte[]{8, 2, 0, 0, 0});
            chunk(out, "IHDR", header.toByteArray());
            Deflater deflater = new Deflater();
            deflater.setInput(new byte[1024]);
            deflater.finish();
            byte[] compressed = new byte[2048];
            int length = deflater.deflate(compressed);
            deflater.end();
            chunk(out, "IDAT", java.util.Arrays.copyOf(compressed, length));
            chunk(out, "IEND", new byte[0]);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
