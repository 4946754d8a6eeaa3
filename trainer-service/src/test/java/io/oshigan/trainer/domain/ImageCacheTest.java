package io.oshigan.trainer.domain;

import io.oshigan.dcgan.translate.FacePixels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageCacheTest {

    @Test
    void imagesPastTheMemoryBudgetSpillToDiskAndReadBackExactly(@TempDir Path dir) {
        try (ImageCache cache = new ImageCache(2L * ImageCache.IMAGE_BYTES, dir)) {
            byte[][] images = new byte[5][];
            for (int i = 0; i < 5; i++) {
                images[i] = FacePixels.fromImage(SyntheticFaces.face(1, i));
                assertThat(cache.add(images[i])).isEqualTo(i);
            }
            assertThat(cache.size()).isEqualTo(5);
            assertThat(cache.spilledCount()).isEqualTo(3);
            float[] out = new float[2 * FacePixels.VALUES];
            cache.copyTo(4, out, 0);
            cache.copyTo(1, out, FacePixels.VALUES);
            assertThat(java.util.Arrays.copyOfRange(out, 0, FacePixels.VALUES)).isEqualTo(FacePixels.toUnit(images[4]));
            assertThat(java.util.Arrays.copyOfRange(out, FacePixels.VALUES, out.length)).isEqualTo(FacePixels.toUnit(images[1]));
            assertThatThrownBy(() -> cache.copyTo(5, out, 0)).hasMessage("image 5 of 5");
        }
    }

    @Test
    void pixelsAreTheReferenceNormalisationAndMapBackToBytes() {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(96, 96, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0080);
        float[] pixels = FacePixels.toUnit(FacePixels.fromImage(image));
        assertThat(pixels[0]).isEqualTo(1f);
        assertThat(pixels[1]).isEqualTo(-1f);
        assertThat(pixels[2]).isCloseTo(128 / 255f * 2 - 1, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(io.oshigan.dcgan.translate.FaceImages.toByte(pixels[0])).isEqualTo(255);
        assertThat(io.oshigan.dcgan.translate.FaceImages.toByte(pixels[1])).isEqualTo(0);
        assertThat(io.oshigan.dcgan.translate.FaceImages.toByte(pixels[2])).isEqualTo(128);
        assertThat(io.oshigan.dcgan.translate.FaceImages.toByte(-3f)).isZero();
    }

    @Test
    void largerImagesAreResizedAndCentreCroppedTo96() {
        java.awt.image.BufferedImage wide = new java.awt.image.BufferedImage(300, 150, java.awt.image.BufferedImage.TYPE_INT_RGB);
        assertThat(FacePixels.fromImage(wide)).hasSize(FacePixels.VALUES);
    }

    @Test
    void theDataSetAdmitsQueuedCropsAtTheBoundaryOnceEach(@TempDir Path dir) {
        try (FaceDataset data = new FaceDataset(new ImageCache(1 << 30, dir))) {
            byte[] b = FacePixels.fromImage(SyntheticFaces.face(1, 0));
            byte[] a = FacePixels.fromImage(SyntheticFaces.face(1, 1));
            assertThat(data.offer("b", b)).isTrue();
            assertThat(data.offer("a", a)).isTrue();
            assertThat(data.offer("a", a)).isFalse();
            assertThat(data.size()).isZero();
            assertThat(data.admitPending()).isEqualTo(2);
            assertThat(data.offer("b", b)).isFalse();
            assertThat(data.size()).isEqualTo(2);
            assertThat(data.duplicateCount()).as("a replay is no duplicate").isZero();
        }
    }

    /**
     * The same face under two keys (one picture uploaded twice under two names at once, or dropped into the bucket
     * twice) trains once, waiting or admitted, and either key's exclusion leaves it out.
     */
    @Test
    void aCropWithThePixelsOfAnotherDoesNotJoinAndAnswersForItsHolder(@TempDir Path dir) {
        try (FaceDataset data = new FaceDataset(new ImageCache(1 << 30, dir))) {
            byte[] face = FacePixels.fromImage(SyntheticFaces.face(2, 0));
            byte[] other = FacePixels.fromImage(SyntheticFaces.face(2, 1));
            assertThat(data.offer("crops/b/000.png", face)).isTrue();
            assertThat(data.offer("crops/a/000.png", face.clone())).as("waiting holder").isFalse();
            assertThat(data.offer("crops/c/000.png", other)).isTrue();
            assertThat(data.takingPart()).isEqualTo(2);
            assertThat(data.admitPending()).isEqualTo(2);
            assertThat(data.offer("crops/d/000.png", face.clone())).as("admitted holder").isFalse();
            assertThat(data.knows("crops/a/000.png") && data.knows("crops/d/000.png")).isTrue();
            assertThat(data.offer("crops/a/000.png", face)).as("a duplicate's replay").isFalse();
            assertThat(data.size()).isEqualTo(2);
            assertThat(data.duplicateCount()).isEqualTo(2);

            data.exclude(Set.of("crops/d/000.png"));
            assertThat(data.activeIndexes()).as("the face is out, by its duplicate's exclusion").hasSize(1);
            assertThat(data.excludedCount()).isEqualTo(1);
            assertThat(data.takingPart()).isEqualTo(1);
            data.exclude(Set.of("crops/b/000.png"));
            assertThat(data.activeIndexes()).as("or by its own").hasSize(1);
            data.exclude(Set.of());
            assertThat(data.activeIndexes()).containsExactly(0, 1);
            assertThat(data.keysOf(data.activeIndexes())).as("the first key of a face holds it, whenever it came")
                    .containsExactly("crops/a/000.png", "crops/c/000.png");

            // taken over twice: the first duplicate still answers for the face's holder now
            byte[] third = FacePixels.fromImage(SyntheticFaces.face(2, 2));
            data.offer("crops/z/000.png", third);
            data.admitPending();
            data.offer("crops/y/000.png", third.clone());
            data.offer("crops/x/000.png", third.clone());
            assertThat(data.keysOf(data.activeIndexes())).endsWith("crops/x/000.png");
            data.exclude(Set.of("crops/z/000.png"));
            assertThat(data.keysOf(data.activeIndexes())).containsExactly("crops/a/000.png", "crops/c/000.png");
            assertThat(data.duplicateCount()).isEqualTo(4);
        }
    }

    /**
     * Crops waiting for the next epoch boundary (a burst during a long epoch, or while paused) are held in memory up to
     * a quarter of the cache's budget and on disk past it, and join in key order with their pixels intact.
     */
    @Test
    void waitingCropsPastTheirBudgetWaitOnDisk(@TempDir Path dir) {
        try (FaceDataset data = new FaceDataset(new ImageCache(8L * ImageCache.IMAGE_BYTES, dir))) {
            byte[][] images = new byte[20][];
            for (int i = 19; i >= 0; i--) {
                images[i] = FacePixels.fromImage(SyntheticFaces.face(3, i));
                assertThat(data.offer(String.format("k%02d", i), images[i])).isTrue();
            }
            assertThat(data.pendingCount()).isEqualTo(20);
            assertThat(data.pendingSpilled()).as("waiting on disk: all but the 2 the budget holds").isEqualTo(18);
            assertThat(data.admitPending()).isEqualTo(20);
            assertThat(data.pendingSpilled()).isZero();
            float[] batch = data.batch(new int[]{0, 7, 19});
            assertThat(java.util.Arrays.copyOfRange(batch, 0, FacePixels.VALUES)).isEqualTo(FacePixels.toUnit(images[0]));
            assertThat(java.util.Arrays.copyOfRange(batch, FacePixels.VALUES, 2 * FacePixels.VALUES))
                    .isEqualTo(FacePixels.toUnit(images[7]));
            assertThat(java.util.Arrays.copyOfRange(batch, 2 * FacePixels.VALUES, batch.length))
                    .isEqualTo(FacePixels.toUnit(images[19]));
            // the waiting room starts over: the next wait is held as the first was
            byte[][] more = new byte[3][];
            for (int i = 0; i < 3; i++) {
                more[i] = FacePixels.fromImage(SyntheticFaces.face(3, 20 + i));
                assertThat(data.offer("k" + (20 + i), more[i])).isTrue();
            }
            assertThat(data.pendingSpilled()).isEqualTo(1);
            assertThat(data.admitPending()).isEqualTo(3);
            assertThat(data.batch(new int[]{22})).isEqualTo(FacePixels.toUnit(more[2]));
        }
    }

    /** A cache set larger than its process's heap (the default 2048 MB in the local 1 GB trainer) is cut to fit. */
    @Test
    void theBudgetIsCutToWhatTheHeapHolds() {
        long budget = ImageCache.budgetWithin(2048L << 20, 1024L << 20);
        assertThat(budget + budget / 4).as("with its waiting room, all but the reserve")
                .isBetween((512L << 20) - 8, 512L << 20);
        assertThat(ImageCache.budgetWithin(3072L << 20, 6553L << 20)).as("k8s base: fits").isEqualTo(3072L << 20);
        assertThat(ImageCache.budgetWithin(640L << 20, 256L << 20)).as("a heap under the reserve: all on disk").isZero();
    }

    /**
     * The cache's disk fails while crops join (full): those that joined stay joined, once, and the others wait for
     * the next admission instead of joining twice.
     */
    @Test
    void aFailedAdmissionLeavesTheRestWaitingAndJoinsNothingTwice(@TempDir Path dir) throws Exception {
        Path spill = dir.resolve("spill");
        try (FaceDataset data = new FaceDataset(new ImageCache(2L * ImageCache.IMAGE_BYTES, spill))) {
            byte[][] images = new byte[3][];
            for (int i = 0; i < 3; i++) {
                images[i] = FacePixels.fromImage(SyntheticFaces.face(5, i));
                data.offer("k" + i, images[i]); // waiting on disk (its room holds none in memory)
            }
            // the directory goes (the waiting file stays open): the cache cannot spill its third image
            try (var files = java.nio.file.Files.list(spill)) {
                for (Path file : files.toList()) {
                    java.nio.file.Files.delete(file);
                }
            }
            java.nio.file.Files.delete(spill);
            java.nio.file.Files.writeString(spill, "not a directory");
            assertThatThrownBy(data::admitPending).isInstanceOf(java.io.UncheckedIOException.class);
            assertThat(data.size()).isEqualTo(2);
            assertThat(data.pendingCount()).isEqualTo(1);
            java.nio.file.Files.delete(spill);
            assertThat(data.admitPending()).isEqualTo(1);
            assertThat(data.size()).isEqualTo(3);
            assertThat(data.batch(new int[]{2})).isEqualTo(FacePixels.toUnit(images[2]));
        }
    }
}
