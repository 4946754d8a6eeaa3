package io.oshigan.dcgan.translate;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class FaceImagesTest {
    /** A thread beside the test's, as the sampler gives a grid's other half. */
    private static final java.util.concurrent.ExecutorService ALONGSIDE = java.util.concurrent.Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "alongside");
        thread.setDaemon(true);
        return thread;
    });
    /** An executor whose threads are all busy for as long as a grid takes: never runs what it is given. */
    private static final java.util.concurrent.Executor NONE_FREE = task -> { };

    @Test
    void pngAndJpegDecodeWithTheJdkToTheExpectedPixels() throws Exception {
        float[] pixels = new float[2 * 96 * 96 * 3];
        pixels[0] = 1f;       // image 0, pixel (0,0): red 255
        pixels[1] = -1f;      // green 0
        pixels[2] = 0f;       // blue 128
        pixels[96 * 96 * 3 + 5] = 1f; // image 1, pixel (0,1): blue 255
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(FaceImages.encode(pixels, 2, 2, FaceImages.Format.PNG)));
        assertThat(png.getWidth()).isEqualTo(2 + 2 * 98);
        assertThat(png.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFF0080);
        assertThat(png.getRGB(2 + 98 + 1, 2) & 0xFF).isEqualTo(255);
        assertThat(png.getRGB(0, 0) & 0xFFFFFF).isZero();
        BufferedImage single = ImageIO.read(new ByteArrayInputStream(FaceImages.encode(pixels, 1, 1, FaceImages.Format.PNG)));
        assertThat(single.getWidth()).isEqualTo(96);
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(FaceImages.encode(pixels, 2, 1, FaceImages.Format.JPEG)));
        assertThat(jpeg.getHeight()).isEqualTo(2 + 2 * 98);
    }

    @Test
    void aLargeGridIsWrittenInTwoHalvesAndDecodesToExactlyItsPixels() throws Exception {
        int n = 64;
        float[] pixels = new float[n * 96 * 96 * 3];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() * 2.2f - 1.1f; // noise, with some values out of range to clamp
        }
        BufferedImage grid = FaceImages.grid(pixels, n, 8);
        assertThat(grid.getWidth() * grid.getHeight() * 3).isGreaterThan(128 * 1024); // PngWriter splits it

        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(FaceImages.encode(pixels, n, 8, FaceImages.Format.PNG)));

        assertThat(decoded.getWidth()).isEqualTo(grid.getWidth());
        assertThat(decoded.getHeight()).isEqualTo(grid.getHeight());
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                if ((decoded.getRGB(x, y) & 0xFFFFFF) != (grid.getRGB(x, y) & 0xFFFFFF)) {
                    throw new AssertionError("pixel " + x + "," + y + " differs");
                }
            }
        }
    }

    @Test
    void aGridMadeInTwoPartsIsTheSameFileAndAsksForBothPartsAtOnce() throws Exception {
        for (int[] shape : new int[][]{{64, 8}, {20, 8}, {17, 4}, {16, 16}, {15, 8}, {1, 1}}) {
            int n = shape[0];
            int columns = shape[1];
            float[] pixels = new float[n * 96 * 96 * 3];
            java.util.Random random = new java.util.Random(n);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextFloat() * 2.2f - 1.1f;
            }
            int rows = (n + Math.min(columns, n) - 1) / Math.min(columns, n);
            boolean split = n >= 16 && rows >= 2;
            String top = Math.min(columns, n) * ((rows + 1) / 2) + "";
            java.util.Set<String> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();
            // each part waits until the other has been asked for: made one after the other, neither would be
            java.util.concurrent.CyclicBarrier bothAsked = new java.util.concurrent.CyclicBarrier(split ? 2 : 1);
            byte[] inParts = FaceImages.png(n, columns, (from, to) -> {
                asked.add(from + "-" + to);
                try {
                    bothAsked.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("faces " + from + "-" + to + " asked for while the other part was not", e);
                }
                return java.util.Arrays.copyOfRange(pixels, from * 96 * 96 * 3, to * 96 * 96 * 3);
            }, ALONGSIDE);
            assertThat(asked).as("%d faces in %d columns", n, columns)
                    .containsExactlyInAnyOrderElementsOf(split ? java.util.List.of("0-" + top, top + "-" + n) : java.util.List.of("0-" + n));
            assertThat(inParts).as("%d faces in %d columns", n, columns)
                    .isEqualTo(FaceImages.encode(pixels, n, columns, FaceImages.Format.PNG));
        }
    }

    @Test
    void everyFaceLandsInItsCellWithBlackGapsAndEmptyCellsWhateverTheShape() throws Exception {
        for (int[] shape : new int[][]{{20, 8}, {17, 4}, {5, 8}, {1, 1}, {64, 8}}) {
            int n = shape[0];
            int columns = shape[1];
            float[] pixels = new float[n * 96 * 96 * 3];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = ((i * 7919) % 255) / 127.5f - 1f; // every value a level: toByte gives it back exactly
            }
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(FaceImages.png(n, columns, (from, to) ->
                    java.util.Arrays.copyOfRange(pixels, from * 96 * 96 * 3, to * 96 * 96 * 3), ALONGSIDE)));
            int cols = Math.min(columns, n);
            int rows = (n + cols - 1) / cols;
            int gap = n == 1 ? 0 : 2;
            assertThat(png.getWidth()).isEqualTo(cols * (96 + gap) + gap);
            assertThat(png.getHeight()).isEqualTo(rows * (96 + gap) + gap);
            for (int y = 0; y < png.getHeight(); y++) {
                for (int x = 0; x < png.getWidth(); x++) {
                    int cx = (x - gap) / (96 + gap);
                    int cy = (y - gap) / (96 + gap);
                    int fx = x - gap - cx * (96 + gap);
                    int fy = y - gap - cy * (96 + gap);
                    int k = cy * cols + cx;
                    int expected = 0;
                    if (x >= gap && y >= gap && fx < 96 && fy < 96 && k < n) {
                        int at = ((k * 96 + fy) * 96 + fx) * 3;
                        expected = FaceImages.toByte(pixels[at]) << 16 | FaceImages.toByte(pixels[at + 1]) << 8
                                | FaceImages.toByte(pixels[at + 2]);
                    }
                    if ((png.getRGB(x, y) & 0xFFFFFF) != expected) {
                        throw new AssertionError(n + " faces in " + columns + " columns: pixel " + x + "," + y
                                + " is " + Integer.toHexString(png.getRGB(x, y) & 0xFFFFFF) + ", not " + Integer.toHexString(expected));
                    }
                }
            }
        }
    }

    @Test
    void aFailureOfEitherPartFailsTheGridAndShortAnswersAreRefused() {
        float[] half = new float[32 * 96 * 96 * 3];
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FaceImages.png(64, 8, (from, to) -> {
            if (from > 0) {
                throw new IllegalStateException("the sampler is shutting down");
            }
            return half;
        }, ALONGSIDE)).hasMessage("the sampler is shutting down");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FaceImages.png(64, 8, (from, to) -> {
            if (from == 0) {
                throw new IllegalStateException("the top failed");
            }
            return half;
        }, ALONGSIDE)).hasMessage("the top failed").hasNoCause(); // as thrown, not wrapped on its way across threads
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FaceImages.png(64, 8, (from, to) -> new float[5], ALONGSIDE))
                .hasMessageMatching("faces (0\\.\\.32|32\\.\\.64) came as 5 values, not 884736");
    }

    @Test
    void whenTheBottomFailsTheTopIsDoneBeforeTheGridFails() {
        // the caller frees the generator once png returns: a top part still generating would use it afterwards
        java.util.concurrent.atomic.AtomicBoolean topDone = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch topStarted = new java.util.concurrent.CountDownLatch(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FaceImages.png(64, 8, (from, to) -> {
            if (from > 0) {
                try {
                    topStarted.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the bottom failed");
            }
            topStarted.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            topDone.set(true);
            throw new IllegalStateException("the top failed too");
        }, ALONGSIDE)).hasMessage("the bottom failed")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("the top failed too"));
        assertThat(topDone).as("the top part finished before png returned").isTrue();
    }

    @Test
    void aTopThatFindsNoFreeThreadIsMadeByTheCallerAfterTheBottomAndOnlyWhenTheBottomSucceeded() {
        int n = 64;
        float[] pixels = new float[n * 96 * 96 * 3];
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() * 2 - 1;
        }
        java.util.List<String> asked = new java.util.ArrayList<>();
        byte[] alone = FaceImages.png(n, 8, (from, to) -> {
            asked.add(from + "-" + to);
            return java.util.Arrays.copyOfRange(pixels, from * 96 * 96 * 3, to * 96 * 96 * 3);
        }, NONE_FREE);
        assertThat(asked).containsExactly("32-64", "0-32");
        assertThat(alone).isEqualTo(FaceImages.encode(pixels, n, 8, FaceImages.Format.PNG));

        asked.clear();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FaceImages.png(n, 8, (from, to) -> {
            asked.add(from + "-" + to);
            throw new IllegalStateException("the bottom failed");
        }, NONE_FREE)).hasMessage("the bottom failed");
        assertThat(asked).as("no run for a grid that has failed already").containsExactly("32-64");
    }

    @Test
    void floatsMapToBytesRoundedAndClamped() {
        assertThat(FaceImages.toByte(-1f)).isZero();
        assertThat(FaceImages.toByte(1f)).isEqualTo(255);
        assertThat(FaceImages.toByte(0f)).isEqualTo(128); // 127.5 rounds half up
        assertThat(FaceImages.toByte(-5f)).isZero();
        assertThat(FaceImages.toByte(Float.POSITIVE_INFINITY)).isEqualTo(255);
        assertThat(FaceImages.toByte(Float.NaN)).isZero();
        for (int b = 0; b <= 255; b++) {
            assertThat(FaceImages.toByte(b / 127.5f - 1f)).isEqualTo(b);
        }
    }
}
