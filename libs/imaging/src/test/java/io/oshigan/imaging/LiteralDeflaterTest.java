package io.oshigan.imaging;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;

/** Every block is read back by zlib (java.util.zip.Inflater), which checks each code for completeness. */
class LiteralDeflaterTest {
    @Test
    void skewedBytesComeBackAndShrink() throws Exception {
        Random random = new Random(1);
        byte[] raw = new byte[300_000];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) Math.round(random.nextGaussian() * 2); // like "Sub"-filtered pixels: near 0 and 255
        }
        byte[] deflated = deflate(raw, true);
        assertThat(inflate(deflated)).isEqualTo(raw);
        assertThat(deflated.length).isLessThan(raw.length * 45 / 100);
        assertThat(deflated.length).isLessThan(zlibHuffmanOnly(raw) + 200);
    }

    @Test
    void uniformRandomBytesComeBackNoLargerThanTheBound() throws Exception {
        byte[] raw = new byte[100_000];
        new Random(2).nextBytes(raw);
        byte[] deflated = deflate(raw, true);
        assertThat(inflate(deflated)).isEqualTo(raw);
        assertThat(deflated.length).isLessThanOrEqualTo(LiteralDeflater.bound(raw.length));
    }

    @Test
    void oneRepeatedByteAndNothingAtAllAreValidBlocks() throws Exception {
        byte[] same = new byte[5000];
        Arrays.fill(same, (byte) 7);
        assertThat(inflate(deflate(same, true))).isEqualTo(same);
        assertThat(inflate(deflate(new byte[0], true))).isEmpty();
    }

    @Test
    void frequenciesThatWouldNeedCodesOverFifteenBitsAreLimited() throws Exception {
        // frequencies 1, 2, 4, ..., 2^17: each symbol outweighs all rarer ones together, so the optimal code is a chain
        ByteArrayOutputStream doubling = new ByteArrayOutputStream();
        for (int symbol = 0; symbol < 18; symbol++) {
            for (int i = 0; i < 1 << symbol; i++) {
                doubling.write(symbol);
            }
        }
        byte[] raw = doubling.toByteArray();
        long[] frequencies = new long[257];
        for (byte value : raw) {
            frequencies[value & 0xFF]++;
        }
        frequencies[256] = 1;
        int[] optimal = HuffmanCode.lengths(frequencies, 64);
        assertThat(Arrays.stream(optimal).max().orElseThrow()).isGreaterThan(LiteralDeflater.MAX_CODE_BITS);
        int[] limited = HuffmanCode.lengths(frequencies, LiteralDeflater.MAX_CODE_BITS);
        assertThat(Arrays.stream(limited).max().orElseThrow()).isLessThanOrEqualTo(LiteralDeflater.MAX_CODE_BITS);
        assertThat(inflate(deflate(raw, true))).isEqualTo(raw);
    }

    @Test
    void partsDeflatedApartFollowEachOtherAsOneStream() throws Exception {
        byte[] first = new byte[40_000];
        byte[] second = new byte[30_001];
        new Random(3).nextBytes(first);
        Arrays.fill(second, (byte) 200);
        byte[] a = deflate(first, false);
        byte[] b = deflate(second, true);
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        byte[] expected = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, expected, first.length, second.length);
        assertThat(inflate(joined)).isEqualTo(expected);
    }

    @Test
    void everyLengthComesBackEvenInAnOutputOfExactlyItsSize() throws Exception {
        // literals go three at a time with 8-byte stores past the written end: lengths of each remainder, long codes
        // and short ones, and outputs with no room past the block (the last literals then go one at a time)
        Random random = new Random(4);
        for (int length = 0; length <= 200; length++) {
            byte[] raw = new byte[length];
            for (int i = 0; i < length; i++) {
                raw[i] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : Math.round(random.nextGaussian() * 3));
            }
            for (boolean last : new boolean[]{true, false}) {
                byte[] deflated = deflate(raw, last);
                byte[] exact = new byte[deflated.length];
                assertThat(LiteralDeflater.deflate(raw, length, last, exact)).as("length %d", length)
                        .isEqualTo(deflated.length);
                assertThat(exact).as("length %d", length).isEqualTo(deflated);
                byte[] stream = last ? deflated : Arrays.copyOf(deflated, deflated.length + 2);
                if (!last) { // a final empty block with the fixed code ends a flushed part, as PngWriter does
                    stream[deflated.length] = 0x03;
                }
                assertThat(inflate(stream)).as("length %d", length).isEqualTo(raw);
            }
        }
    }

    private static byte[] deflate(byte[] raw, boolean last) {
        byte[] out = new byte[LiteralDeflater.bound(raw.length)];
        return Arrays.copyOf(out, LiteralDeflater.deflate(raw, raw.length, last, out));
    }

    private static byte[] inflate(byte[] deflated) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            if (n == 0 && !inflater.finished() && inflater.needsInput()) {
                throw new DataFormatException("stream ended before its final block");
            }
            out.write(buffer, 0, n);
        }
        inflater.end();
        return out.toByteArray();
    }

    private static int zlibHuffmanOnly(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        deflater.setStrategy(Deflater.HUFFMAN_ONLY);
        deflater.setInput(raw);
        deflater.finish();
        byte[] out = new byte[raw.length * 2];
        int length = 0;
        while (!deflater.finished()) {
            length += deflater.deflate(out, length, out.length - length);
        }
        deflater.end();
        return length;
    }
}
