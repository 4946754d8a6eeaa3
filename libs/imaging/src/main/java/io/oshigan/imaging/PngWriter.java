package io.oshigan.imaging;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ForkJoinTask;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * A plain 8-bit RGB PNG writer: the "Sub" filter on every row and Huffman-only deflate ({@link LiteralDeflater}).
 * The JDK's writer tries adaptive filters on every row with full deflate, several times slower
 * (libs/imaging/bench/run.sh).
 * Large images are filtered and deflated in two halves at once, as pigz does: Huffman-only deflate keeps no
 * dictionary, so the first half ends with a sync flush (byte-aligned) and the second half simply follows it.
 * Any PNG decoder reads the files.
 */
public final class PngWriter {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] IHDR = "IHDR".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IDAT = "IDAT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IEND = "IEND".getBytes(StandardCharsets.US_ASCII);
    /** Below this many filtered bytes (about a 4-face grid) a second thread costs more than it saves. */
    static final int PARALLEL_BYTES = 128 * 1024;
    private static final int ZLIB_HEADER = 0x7801; // deflate, 32K window, fastest level; a multiple of 31 as RFC 1950 asks

    private record Part(byte[] deflated, int length, long adler, int rawLength) {
    }

    private PngWriter() {
    }

    public static byte[] encode(int[] rgb, int width, int height) {
        int rowBytes = 1 + width * 3;
        boolean split = (long) height * rowBytes >= PARALLEL_BYTES && Runtime.getRuntime().availableProcessors() > 1;
        int middle = split ? height / 2 : height;
        // forked to the common pool; if no worker took it by the time the first half is done, join() runs it here
        ForkJoinTask<Part> second = split ? ForkJoinTask.adapt(() -> deflate(rgb, width, middle, height, true)).fork() : null;
        Part first = deflate(rgb, width, 0, middle, !split);
        Part last = split ? second.join() : null;
        int idatLength = 2 + first.length() + (last == null ? 0 : last.length()) + 4;
        ByteBuffer png = ByteBuffer.allocate(SIGNATURE.length + (12 + 13) + (12 + idatLength) + 12);
        png.put(SIGNATURE);
        int header = png.position();
        png.putInt(13).put(IHDR).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit RGB, no interlace
        crc(png, header);
        int idat = png.position();
        png.putInt(idatLength).put(IDAT).putShort((short) ZLIB_HEADER).put(first.deflated(), 0, first.length());
        if (last != null) {
            png.put(last.deflated(), 0, last.length());
        }
        png.putInt((int) (last == null ? first.adler() : combineAdler(first.adler(), last.adler(), last.rawLength())));
        crc(png, idat);
        int end = png.position();
        png.putInt(0).put(IEND);
        crc(png, end);
        return png.array();
    }

    /** Appends the CRC of the chunk that starts (with its length) at {@code chunkStart} and ends at the position. */
    private static void crc(ByteBuffer png, int chunkStart) {
        CRC32 crc = new CRC32();
        crc.update(png.array(), chunkStart + 4, png.position() - chunkStart - 4);
        png.putInt((int) crc.getValue());
    }

    /** Rows [from, to) filtered and deflated raw (no zlib wrapper); the final part carries the end-of-stream bit. */
    private static Part deflate(int[] rgb, int width, int from, int to, boolean finalPart) {
        byte[] raw = filter(rgb, width, from, to);
        Adler32 adler = new Adler32();
        adler.update(raw);
        byte[] out = new byte[LiteralDeflater.bound(raw.length)];
        int length = LiteralDeflater.deflate(raw, raw.length, finalPart, out);
        return new Part(out, length, adler.getValue(), raw.length);
    }

    /** Rows [from, to) with PNG's "Sub" filter: a filter byte, then each byte minus the one a pixel to the left. */
    static byte[] filter(int[] rgb, int width, int from, int to) {
        byte[] raw = new byte[(to - from) * (1 + width * 3)];
        int at = 0;
        for (int y = from; y < to; y++) {
            raw[at++] = 1; // smooth images become small numbers
            int left = 0;
            for (int x = 0, i = y * width; x < width; x++, i++) {
                int p = rgb[i];
                raw[at++] = (byte) ((p >> 16) - (left >> 16));
                raw[at++] = (byte) ((p >> 8) - (left >> 8));
                raw[at++] = (byte) (p - left);
                left = p;
            }
        }
        return raw;
    }

    /** zlib's adler32_combine: the checksum of A followed by B from the checksums of each and the length of B. */
    static long combineAdler(long adlerA, long adlerB, long lengthB) {
        final long base = 65521;
        long rem = lengthB % base;
        long sum1 = adlerA & 0xFFFF;
        long sum2 = (rem * sum1) % base;
        sum1 += (adlerB & 0xFFFF) + base - 1;
        sum2 += ((adlerA >>> 16) & 0xFFFF) + ((adlerB >>> 16) & 0xFFFF) + base - rem;
        if (sum1 >= base) {
            sum1 -= base;
        }
        if (sum1 >= base) {
            sum1 -= base;
        }
        if (sum2 >= base << 1) {
            sum2 -= base << 1;
        }
        if (sum2 >= base) {
            sum2 -= base;
        }
        return sum2 << 16 | sum1;
    }
}
