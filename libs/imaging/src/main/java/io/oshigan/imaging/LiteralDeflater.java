package io.oshigan.imaging;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Raw deflate (RFC 1951) of a byte run as one block of literals under a Huffman code built for that run: what zlib's
 * Huffman-only strategy writes, without its per-byte bookkeeping (zlib tallies each literal and rebuilds its trees
 * every 16K symbols; how much faster this is: libs/imaging/bench/run.sh, BENCHMARKS.md). Filtered images gain little
 * from match search, so the PNG writer needs no more.
 */
final class LiteralDeflater {
    static final int MAX_CODE_BITS = HuffmanCode.MAX_BITS;
    static final int MAX_CODE_LENGTH_CODE_BITS = 7;
    private static final int END_OF_BLOCK = 256;
    private static final int LITERAL_CODES = 257;
    /** zlib always sends two distance codes, even with no matches, so that every decoder accepts the block. */
    private static final int DISTANCE_CODES = 2;
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    /** Bits of a packed code that hold its length: 4 hold lengths up to {@link #MAX_CODE_BITS} (15). */
    private static final int LENGTH_BITS = 4;
    private static final int LENGTH_MASK = (1 << LENGTH_BITS) - 1;
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] out;
    private int position;
    private long bits;
    private int bitCount;

    private LiteralDeflater(byte[] out) {
        this.out = out;
    }

    /** Enough room for any input of this length: no literal code is longer than 9 bits on average, plus the header. */
    static int bound(int length) {
        return length + length / 8 + 512;
    }

    /**
     * Writes bytes [0, length) of {@code raw} into {@code out} as one block. The last part of a stream carries the
     * final-block bit; any other ends with an empty stored block (a zlib sync flush), so the next part starts on a
     * byte boundary and parts deflated apart can be laid end to end. Bytes of {@code out} after the block, up to 7 of
     * them, may be overwritten with zeros.
     *
     * @return the bytes written
     */
    static int deflate(byte[] raw, int length, boolean last, byte[] out) {
        LiteralDeflater writer = new LiteralDeflater(out);
        long[] frequencies = histogram(raw, length);
        frequencies[END_OF_BLOCK] = 1;
        int[] lengths = HuffmanCode.lengths(frequencies, MAX_CODE_BITS);
        int[] codes = HuffmanCode.reversedCanonicalCodes(lengths);
        writer.write(last ? 1 : 0, 1);
        writer.write(2, 2); // dynamic Huffman codes
        writer.writeCodeLengths(lengths);
        writer.writeLiterals(raw, length, packed(codes, lengths));
        writer.write(codes[END_OF_BLOCK], lengths[END_OF_BLOCK]);
        if (!last) {
            writer.write(0, 3); // not final, stored
            writer.alignToByte();
            writer.writeBytes(0x00, 0x00, 0xFF, 0xFF); // LEN 0, NLEN
        }
        writer.alignToByte();
        return writer.position;
    }

    /** HLIT, HDIST, HCLEN, the code-length code, then each literal and distance code length through it. */
    private void writeCodeLengths(int[] literalLengths) {
        int[] all = new int[LITERAL_CODES + DISTANCE_CODES];
        System.arraycopy(literalLengths, 0, all, 0, LITERAL_CODES);
        for (int d = 0; d < DISTANCE_CODES; d++) {
            all[LITERAL_CODES + d] = 1;
        }
        long[] frequencies = new long[CODE_LENGTH_ORDER.length];
        for (int length : all) {
            frequencies[length]++;
        }
        int[] lengthLengths = HuffmanCode.lengths(frequencies, MAX_CODE_LENGTH_CODE_BITS);
        int[] lengthCodes = HuffmanCode.reversedCanonicalCodes(lengthLengths);
        int sent = CODE_LENGTH_ORDER.length;
        while (sent > 4 && lengthLengths[CODE_LENGTH_ORDER[sent - 1]] == 0) {
            sent--;
        }
        write(LITERAL_CODES - 257, 5);
        write(DISTANCE_CODES - 1, 5);
        write(sent - 4, 4);
        for (int i = 0; i < sent; i++) {
            write(lengthLengths[CODE_LENGTH_ORDER[i]], 3);
        }
        for (int length : all) {
            write(lengthCodes[length], lengthLengths[length]);
        }
    }

    /**
     * How often each byte value occurs in [0, length), with {@link #LITERAL_CODES} slots. Four tallies, one for each
     * byte of a group of four, summed at the end: filtered images repeat small values, and one tally would make each
     * increment wait for the last one of the same value.
     */
    private static long[] histogram(byte[] raw, int length) {
        int[] counts = new int[4 * 256];
        int i = 0;
        for (; i + 3 < length; i += 4) {
            counts[raw[i] & 0xFF]++;
            counts[256 + (raw[i + 1] & 0xFF)]++;
            counts[512 + (raw[i + 2] & 0xFF)]++;
            counts[768 + (raw[i + 3] & 0xFF)]++;
        }
        for (; i < length; i++) {
            counts[raw[i] & 0xFF]++;
        }
        long[] frequencies = new long[LITERAL_CODES];
        for (int b = 0; b < 256; b++) {
            frequencies[b] = (long) counts[b] + counts[256 + b] + counts[512 + b] + counts[768 + b];
        }
        return frequencies;
    }

    /** Each byte's code and its length in one int (code above, length in the low {@link #LENGTH_BITS} bits). */
    private static int[] packed(int[] codes, int[] lengths) {
        int[] table = new int[256];
        for (int b = 0; b < 256; b++) {
            table[b] = codes[b] << LENGTH_BITS | lengths[b];
        }
        return table;
    }

    /**
     * The literals, three at a time, without a branch on the bit buffer's fill (where it fills, in a pattern no branch
     * predictor learns, bounded the loop that took one literal and stored 4 bytes when 32 bits were in): three codes of
     * at most 15 bits each join the buffer at once, the buffer is stored whole (8 bytes, little-endian), and the write
     * position moves on by its whole bytes; the bytes stored past them are written again by the next store. Three,
     * not four: 7 bits left over and 3 x 15 fit in the 64 bits, 4 x 15 would not. The last literals, and any within 8
     * bytes of the output's end, go one at a time. On a 64-face grid this is about 1.6x the one-at-a-time loop
     * (libs/imaging/bench/run.sh).
     */
    private void writeLiterals(byte[] raw, int length, int[] table) {
        long buffer = bits;
        int count = bitCount; // < 8 between steps
        int at = position;
        int lastStore = out.length - Long.BYTES;
        int i = 0;
        for (; i + 2 < length && at <= lastStore; i += 3) {
            int a = table[raw[i] & 0xFF];
            int b = table[raw[i + 1] & 0xFF];
            int c = table[raw[i + 2] & 0xFF];
            int aLength = a & LENGTH_MASK;
            int abLength = aLength + (b & LENGTH_MASK);
            long three = (a >>> LENGTH_BITS) | (long) (b >>> LENGTH_BITS) << aLength
                    | (long) (c >>> LENGTH_BITS) << abLength;
            buffer |= three << count; // at most 7 + 3 * 15 bits
            count += abLength + (c & LENGTH_MASK);
            LITTLE_ENDIAN_LONG.set(out, at, buffer);
            int whole = count >>> 3;
            at += whole;
            buffer >>>= whole << 3;
            count &= 7;
        }
        bits = buffer;
        bitCount = count;
        position = at;
        for (; i < length; i++) {
            int code = table[raw[i] & 0xFF];
            write(code >>> LENGTH_BITS, code & LENGTH_MASK);
        }
    }

    private void write(int value, int count) {
        bits |= (long) value << bitCount;
        bitCount += count;
        while (bitCount >= 8) {
            out[position++] = (byte) bits;
            bits >>>= 8;
            bitCount -= 8;
        }
    }

    private void alignToByte() {
        if (bitCount > 0) {
            out[position++] = (byte) bits;
        }
        bits = 0;
        bitCount = 0;
    }

    private void writeBytes(int... values) {
        for (int value : values) {
            out[position++] = (byte) value;
        }
    }
}
