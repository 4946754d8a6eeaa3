package io.oshigan.imaging;

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
     * byte boundary and parts deflated apart can be laid end to end.
     *
     * @return the bytes written
     */
    static int deflate(byte[] raw, int length, boolean last, byte[] out) {
        LiteralDeflater writer = new LiteralDeflater(out);
        long[] frequencies = new long[LITERAL_CODES];
        for (int i = 0; i < length; i++) {
            frequencies[raw[i] & 0xFF]++;
        }
        frequencies[END_OF_BLOCK] = 1;
        int[] lengths = HuffmanCode.lengths(frequencies, MAX_CODE_BITS);
        int[] codes = HuffmanCode.reversedCanonicalCodes(lengths);
        writer.write(last ? 1 : 0, 1);
        writer.write(2, 2); // dynamic Huffman codes
        writer.writeCodeLengths(lengths);
        writer.writeLiterals(raw, length, codes, lengths);
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

    private void writeLiterals(byte[] raw, int length, int[] codes, int[] lengths) {
        long buffer = bits;
        int count = bitCount;
        int at = position;
        for (int i = 0; i < length; i++) {
            int symbol = raw[i] & 0xFF;
            buffer |= (long) codes[symbol] << count;
            count += lengths[symbol];
            if (count >= 32) {
                out[at] = (byte) buffer;
                out[at + 1] = (byte) (buffer >>> 8);
                out[at + 2] = (byte) (buffer >>> 16);
                out[at + 3] = (byte) (buffer >>> 24);
                at += 4;
                buffer >>>= 32;
                count -= 32;
            }
        }
        bits = buffer;
        bitCount = count;
        position = at;
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
