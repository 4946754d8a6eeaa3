package io.oshigan.imaging;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class PngWriterTest {

    @Test
    void smallAndLargeImagesDecodeWithTheJdkToExactlyTheirPixels() throws Exception {
        java.util.Random random = new java.util.Random(11);
        for (int[] size : new int[][]{{1, 1}, {3, 2}, {96, 96}, {786, 786}, {1000, 131}}) {
            int width = size[0];
            int height = size[1];
            int[] rgb = new int[width * height];
            for (int i = 0; i < rgb.length; i++) {
                // runs of similar colours, as in faces, with noise on top
                rgb[i] = i % 7 == 0 ? random.nextInt(1 << 24) : (rgb[Math.max(0, i - 1)] + random.nextInt(3)) & 0xFFFFFF;
            }
            boolean split = (long) height * (1 + width * 3) >= PngWriter.PARALLEL_BYTES;
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(PngWriter.encode(rgb, width, height)));
            assertThat(decoded.getWidth()).isEqualTo(width);
            assertThat(decoded.getHeight()).isEqualTo(height);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    if ((decoded.getRGB(x, y) & 0xFFFFFF) != rgb[y * width + x]) {
                        throw new AssertionError(width + "x" + height + (split ? " (two halves)" : "")
                                + ": pixel " + x + "," + y + " differs");
                    }
                }
            }
        }
    }

    @Test
    void adlerChecksumsOfTwoPartsCombineToTheChecksumOfTheWhole() {
        byte[] data = new byte[300_001];
        new java.util.Random(3).nextBytes(data);
        for (int cut : new int[]{0, 1, 65_521, 150_000, data.length}) {
            java.util.zip.Adler32 whole = new java.util.zip.Adler32();
            whole.update(data);
            java.util.zip.Adler32 a = new java.util.zip.Adler32();
            a.update(data, 0, cut);
            java.util.zip.Adler32 b = new java.util.zip.Adler32();
            b.update(data, cut, data.length - cut);
            assertThat(PngWriter.combineAdler(a.getValue(), b.getValue(), data.length - cut)).as("cut at %d", cut)
                    .isEqualTo(whole.getValue());
        }
    }

    @Test
    void theZlibStreamInflatesToTheFilteredRowsWithItsChecksumAndNothingAfter() throws Exception {
        java.util.Random random = new java.util.Random(5);
        for (int[] size : new int[][]{{3, 2}, {786, 786}}) {
            int width = size[0];
            int height = size[1];
            int[] rgb = new int[width * height];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = random.nextInt(1 << 24);
            }
            java.nio.ByteBuffer png = java.nio.ByteBuffer.wrap(PngWriter.encode(rgb, width, height));
            png.position(8 + 25); // signature, IHDR
            byte[] idat = new byte[png.getInt()];
            assertThat(png.getInt()).isEqualTo(0x49444154); // "IDAT"
            png.get(idat);
            java.util.zip.Inflater inflater = new java.util.zip.Inflater(); // zlib: checks the Adler-32 at the end
            inflater.setInput(idat);
            byte[] raw = new byte[height * (1 + width * 3) + 16];
            int length = 0;
            while (!inflater.finished()) {
                int got = inflater.inflate(raw, length, raw.length - length);
                assertThat(got > 0 || inflater.finished()).as("%dx%d inflates", width, height).isTrue();
                length += got;
            }
            assertThat(inflater.getRemaining()).as("bytes after the end of the stream").isZero();
            assertThat(java.util.Arrays.copyOf(raw, length)).isEqualTo(PngWriter.filter(rgb, width, 0, height));
        }
    }

    @Test
    void partsMadeApartMakeOneFileAndMustCoverTheRowsInOrder() throws Exception {
        int width = 40;
        int height = 30;
        PngWriter.Rows rows = (y, out) -> {
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (y * 7 + i);
            }
        };
        byte[] png = PngWriter.assemble(width, height, PngWriter.part(rows, width, 0, 11),
                PngWriter.part(rows, width, 11, 12), PngWriter.part(rows, width, 12, 30));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int expected = (y * 7 + 3 * x) & 0xFF;
                assertThat(decoded.getRGB(x, y) >> 16 & 0xFF).as("red at %d,%d", x, y).isEqualTo(expected);
            }
        }
        PngWriter.Part top = PngWriter.part(rows, width, 0, 15);
        PngWriter.Part bottom = PngWriter.part(rows, width, 15, 30);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PngWriter.assemble(width, height, bottom, top))
                .hasMessageContaining("row 0 expected, 15 found");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PngWriter.assemble(width, height, top))
                .hasMessageContaining("the parts end at row 15, the image at 30");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PngWriter.assemble(width + 1, height, top, bottom))
                .hasMessageContaining("a part 40 pixels wide in an image 41 wide");
    }

    @Test
    void aLargeImageIsMadeInTwoPartsAtOnceAsIfMadeApart() {
        int width = 786;
        int height = 200; // over PARALLEL_BYTES: split at row 100
        PngWriter.Rows rows = (y, out) -> {
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (y * 31 + i * i);
            }
        };
        PngWriter.Part[] parts = PngWriter.parts(rows, width, 0, height);
        assertThat(parts).extracting(PngWriter.Part::from).containsExactly(0, 100);
        assertThat(PngWriter.encode(rows, width, height)).isEqualTo(PngWriter.assemble(width, height,
                PngWriter.part(rows, width, 0, 100), PngWriter.part(rows, width, 100, height)));
    }
}
