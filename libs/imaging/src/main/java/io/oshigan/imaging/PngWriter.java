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
 * An image comes as an int raster or row by row ({@link Rows}: no raster at all), and is deflated in parts of rows,
 * as pigz does: Huffman-only deflate keeps no dictionary, so each part ends with a sync flush (byte-aligned), the next
 * simply follows, and a final empty block ends the stream. A large image is made in two parts at once
 * ({@link #parts}); a caller that makes the image itself in parts deflates the first while it makes the next
 * ({@link #part}, {@link #assemble}). Any PNG decoder reads the files.
 */
public final class PngWriter {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] IHDR = "IHDR".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IDAT = "IDAT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IEND = "IEND".getBytes(StandardCharsets.US_ASCII);
    /** Below this many filtered bytes (about a 4-face grid) a second thread costs more than it saves. */
    static final int PARALLEL_BYTES = 128 * 1024;
    private static final int ZLIB_HEADER = 0x7801; // deflate, 32K window, fastest level; a multiple of 31 as RFC 1950 asks
    /** A final, empty block with the fixed code (BFINAL 1, BTYPE 01, end of block): ends a stream of flushed parts. */
    private static final byte[] FINAL_EMPTY_BLOCK = {0x03, 0x00};

    /** An image row by row: writes every byte of row y's RGB (width * 3 bytes) into {@code out} from 0; thread-safe. */
    @FunctionalInterface
    public interface Rows {
        void rgb(int y, byte[] out);
    }

    /** Rows [from, to) of an image {@code width} pixels wide, filtered and deflated: laid end to end by {@link #assemble}. */
    public record Part(int width, int from, int to, byte[] deflated, int length, long adler, int rawLength) {
    }

    private PngWriter() {
    }

    /** An image from a raster of 0xRRGGBB ints, row after row. */
    public static byte[] encode(int[] rgb, int width, int height) {
        return encode(rows(rgb, width), width, height);
    }

    private static Rows rows(int[] rgb, int width) {
        return (y, out) -> {
            for (int x = 0, i = y * width, at = 0; x < width; x++, i++) {
                int p = rgb[i];
                out[at++] = (byte) (p >> 16);
                out[at++] = (byte) (p >> 8);
                out[at++] = (byte) p;
            }
        };
    }

    /** An image row by row; a large one in two parts at once. */
    public static byte[] encode(Rows rows, int width, int height) {
        return assemble(width, height, parts(rows, width, 0, height));
    }

    /** Rows [from, to) as one part, or two made at once (the second forked to the common pool) when they are large. */
    public static Part[] parts(Rows rows, int width, int from, int to) {
        boolean split = (long) (to - from) * (1 + width * 3) >= PARALLEL_BYTES && Runtime.getRuntime().availableProcessors() > 1;
        if (!split) {
            return new Part[]{part(rows, width, from, to)};
        }
        int middle = from + (to - from) / 2;
        // if no worker took it by the time the first half is done, join() runs it here
        ForkJoinTask<Part> second = ForkJoinTask.adapt(() -> part(rows, width, middle, to)).fork();
        try {
            Part first = part(rows, width, from, middle);
            return new Part[]{first, second.join()};
        } catch (RuntimeException | Error e) {
            second.cancel(false);
            throw e;
        }
    }

    /** Rows [from, to) filtered and deflated raw (no zlib wrapper), ending with a sync flush (byte-aligned). */
    public static Part part(Rows rows, int width, int from, int to) {
        byte[] raw = filter(rows, width, from, to);
        Adler32 adler = new Adler32();
        adler.update(raw);
        byte[] out = new byte[LiteralDeflater.bound(raw.length)];
        int length = LiteralDeflater.deflate(raw, raw.length, false, out);
        return new Part(width, from, to, out, length, adler.getValue(), raw.length);
    }

    /** The PNG file of parts that cover rows [0, height) in order. */
    public static byte[] assemble(int width, int height, Part... parts) {
        int deflated = 0;
        long adler = 1;
        int row = 0;
        for (Part part : parts) {
            if (part.width() != width) {
                throw new IllegalArgumentException("a part " + part.width() + " pixels wide in an image " + width + " wide");
            }
            if (part.from() != row) {
                throw new IllegalArgumentException("parts must cover the rows in order: row " + row + " expected, "
                        + part.from() + " found");
            }
            row = part.to();
            deflated += part.length();
            adler = combineAdler(adler, part.adler(), part.rawLength());
        }
        if (row != height) {
            throw new IllegalArgumentException("the parts end at row " + row + ", the image at " + height);
        }
        int idatLength = 2 + deflated + FINAL_EMPTY_BLOCK.length + 4;
        ByteBuffer png = ByteBuffer.allocate(SIGNATURE.length + (12 + 13) + (12 + idatLength) + 12);
        png.put(SIGNATURE);
        int header = png.position();
        png.putInt(13).put(IHDR).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit RGB, no interlace
        crc(png, header);
        int idat = png.position();
        png.putInt(idatLength).put(IDAT).putShort((short) ZLIB_HEADER);
        for (Part part : parts) {
            png.put(part.deflated(), 0, part.length());
        }
        png.put(FINAL_EMPTY_BLOCK).putInt((int) adler);
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

    static byte[] filter(int[] rgb, int width, int from, int to) {
        return filter(rows(rgb, width), width, from, to);
    }

    /** Rows [from, to) with PNG's "Sub" filter: a filter byte, then each byte minus the one a pixel to the left. */
    static byte[] filter(Rows rows, int width, int from, int to) {
        int rowBytes = width * 3;
        byte[] raw = new byte[(to - from) * (1 + rowBytes)];
        byte[] row = new byte[rowBytes];
        for (int y = from, at = 0; y < to; y++, at += 1 + rowBytes) {
            rows.rgb(y, row);
            raw[at] = 1; // smooth images become small numbers
            for (int i = 0; i < Math.min(3, rowBytes); i++) {
                raw[at + 1 + i] = row[i];
            }
            for (int i = 3; i < rowBytes; i++) {
                raw[at + 1 + i] = (byte) (row[i] - row[i - 3]);
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
