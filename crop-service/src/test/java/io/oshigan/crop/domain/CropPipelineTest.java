package io.oshigan.crop.domain;

import io.oshigan.crop.ImageCorpus;
import io.oshigan.testkit.Fixtures;
import io.oshigan.testkit.HostileImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.oshigan.crop.domain.ImageRejectedException.Reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CropPipelineTest {
    static CropPipeline pipeline;

    @BeforeAll
    static void load() {
        pipeline = new CropPipeline(new ImageHeaders(ImageLimits.defaults()), new ImageDecoder(AlphaMode.DROP),
                new FaceDetector(Fixtures.path(FaceDetector.CASCADE_FILE), DetectionParams.reference()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"eileen-concerned", "eileen-happy", "eileen-vhappy", "lucy-happy", "lucy-mad"})
    void findsTheFacesTheReferenceFinds(String sprite) {
        CropResult result = pipeline.run(ImageCorpus.sprite(sprite));
        Box expected = ImageCorpus.SPRITES.get(sprite);

        assertThat(result.header().format()).isEqualTo(ImageFormat.PNG);
        if (expected == null) {
            assertThat(result.faces()).isEmpty();
            return;
        }
        assertThat(result.faces()).hasSize(1);
        FaceCrop face = result.faces().get(0);
        assertThat(face.index()).isZero();
        assertThat(ImageCorpus.near(face.box(), expected, 2)).as("%s near %s", face.box(), expected).isTrue();
        Mat crop = Imgcodecs.imdecode(new MatOfByte(face.png()), Imgcodecs.IMREAD_UNCHANGED);
        assertThat(crop.width()).isEqualTo(96);
        assertThat(crop.height()).isEqualTo(96);
        assertThat(crop.channels()).isEqualTo(3);
        assertThat(face.sha256()).matches("[0-9a-f]{64}");
    }

    @Test
    void cropsAreDeterministic() {
        byte[] sprite = ImageCorpus.sprite("eileen-happy");
        assertThat(pipeline.run(sprite).faces().get(0).png()).isEqualTo(pipeline.run(sprite).faces().get(0).png());
    }

    @Test
    void otherEncodingsOfTheSameSpriteGiveTheSameFace() {
        assertFace(ImageCorpus.sixteenBitPng(), ImageFormat.PNG, "eileen-happy");
        assertFace(ImageCorpus.greyPng(), ImageFormat.PNG, "eileen-happy");
        assertFace(ImageCorpus.bmp(), ImageFormat.BMP, "eileen-concerned");
        assertFace(ImageCorpus.losslessWebp(), ImageFormat.WEBP, "lucy-happy");
        // lossy: the box moves a little (a 2 px move at the alpha one's quality, measured); what counts here is that
        // the header is read
        assertFace(ImageCorpus.lossyWebp(), ImageFormat.WEBP, "lucy-happy", 6);
        assertFace(ImageCorpus.alphaWebp(), ImageFormat.WEBP, "lucy-happy", 6);
        // each of WebP's three first chunks, whose fields give the size
        assertThat(new String(ImageCorpus.losslessWebp(), 12, 4, StandardCharsets.US_ASCII)).isEqualTo("VP8L");
        assertThat(new String(ImageCorpus.lossyWebp(), 12, 4, StandardCharsets.US_ASCII)).isEqualTo("VP8 ");
        assertThat(new String(ImageCorpus.alphaWebp(), 12, 4, StandardCharsets.US_ASCII)).isEqualTo("VP8X");
    }

    /** A GIF's first frame may be smaller than its canvas and lie anywhere on it: the face is found where it lies. */
    @Test
    void aGifFrameSmallerThanItsCanvasIsDecodedInItsPlace() {
        CropResult result = pipeline.run(ImageCorpus.gifWithFrameAt("eileen-happy", 40, 30));
        assertThat(result.header()).isEqualTo(new ImageHeader(ImageFormat.GIF, 320 + 40 + 80, 720 + 30 + 80));
        assertThat(result.faces()).hasSize(1);
        Box expected = ImageCorpus.SPRITES.get("eileen-happy");
        Box moved = new Box(expected.x() + 40, expected.y() + 30, expected.width(), expected.height());
        // the palette and the black around it move the box a little (3 px measured)
        assertThat(ImageCorpus.near(result.faces().get(0).box(), moved, 6)).as("%s near %s", result.faces().get(0).box(),
                moved).isTrue();
    }

    /** What comes after the end of an image (a motion photo's video, padding) is not a cut-off upload. */
    @Test
    void dataAfterTheEndOfAnImageIsNoReasonToRefuseIt() {
        assertFace(ImageCorpus.withTrailer(ImageCorpus.progressiveJpeg(), 100_000), ImageFormat.JPEG, "eileen-vhappy");
        assertFace(ImageCorpus.withTrailer(ImageCorpus.sprite("eileen-happy"), 5_000), ImageFormat.PNG, "eileen-happy");
    }

    /** A stray FF 00 between a JPEG's segments is skipped, as decoders skip it, not read as a segment's length. */
    @Test
    void strayBytesBetweenJpegSegmentsAreSkipped() {
        assertFace(ImageCorpus.withStrayBytesBeforeTheFrame(ImageCorpus.progressiveJpeg()), ImageFormat.JPEG, "eileen-vhappy");
    }

    /**
     * Headers that declare more than the file holds (a chunk of 2 GB in a file of 57 bytes, 256 MB of compressed
     * text, 2 GB of XMP) are read without allocating what they declare: refused with the reason, or cropped, and
     * either way at most a few MB allocated. A reader that allocated a declared chunk ended the service under
     * -XX:+ExitOnOutOfMemoryError at a 512 MB heap (and ends this test's bound at any heap).
     */
    @Test
    void headersThatDeclareHugeDataAreReadWithoutAllocatingIt() {
        assertThat(HostileImages.pngDeclaringAHugeChunk()).hasSize(57);
        allocatesLittle(() -> assertRejected(HostileImages.pngDeclaringAHugeChunk(), Reason.TRUNCATED,
                "truncated: PNG of 57 bytes has a chunk 'tEXt' of 2147483632 bytes at byte 33 that runs past its end:"
                        + " the upload is cut off"));
        allocatesLittle(() -> assertRejected(HostileImages.webpDeclaringAHugeChunk(), Reason.UNDECODABLE,
                "WEBP data does not decode"));
        byte[] textBomb = HostileImages.withTextBomb(ImageCorpus.sprite("eileen-happy"));
        allocatesLittle(() -> assertFace(textBomb, ImageFormat.PNG, "eileen-happy"));
        byte[] xmpBomb = HostileImages.withExtendedXmpBomb(ImageCorpus.progressiveJpeg());
        allocatesLittle(() -> assertFace(xmpBomb, ImageFormat.JPEG, "eileen-vhappy"));
    }

    private static void allocatesLittle(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated").isLessThan(64L << 20);
    }

    @Test
    void lossyAndPaletteEncodingsStillGiveTheFace() {
        assertFace(ImageCorpus.progressiveJpeg(), ImageFormat.JPEG, "eileen-vhappy");
        assertFace(ImageCorpus.cmykJpeg(), ImageFormat.JPEG, "eileen-happy");
        assertFace(ImageCorpus.palettePng(), ImageFormat.PNG, "eileen-happy");
        assertFace(ImageCorpus.animatedGif(), ImageFormat.GIF, "eileen-happy");
    }

    @Test
    void badInputIsRefusedWithAPreciseReason() {
        assertRejected(new byte[0], Reason.EMPTY, "empty: the object is empty (0 bytes)");
        assertRejected("hello, I am not a PNG".getBytes(StandardCharsets.UTF_8), Reason.NOT_AN_IMAGE,
                "no image signature (JPEG, PNG, BMP, GIF or WebP) at its start; first bytes 68 65 6c 6c 6f 2c 20 49 (\"hello, I\")");
        assertRejected(ImageCorpus.truncatedJpeg(), Reason.TRUNCATED, "has no end-of-image marker: the upload is cut off");
        assertRejected(ImageCorpus.pngBomb(), Reason.TOO_MANY_PIXELS,
                "PNG of 30000x30000 = 900000000 pixels; the limit is 40000000 (refused before decoding)");
        // a frame carries its own size and a decoder allocates it whatever the canvas says: refused from the descriptors
        assertThat(HostileImages.gifFrameBeyondCanvas()).hasSize(35);
        assertRejected(HostileImages.gifFrameBeyondCanvas(), Reason.TOO_MANY_PIXELS,
                "GIF frame 0 of 20000x20000 = 400000000 pixels; the limit is 40000000 (refused before decoding)");
        assertRejected(HostileImages.gifWithOneHugeFrame(), Reason.TOO_MANY_PIXELS,
                "GIF frame 1 of 20000x20000 = 400000000 pixels; the limit is 40000000 (refused before decoding)");
        assertRejected(HostileImages.gifFrameOutsideCanvas(), Reason.UNDECODABLE,
                "GIF frame 0 of 4x4 at (2, 2) lies outside its 4x4 canvas (refused before decoding)");
        byte[] png = ImageCorpus.sprite("eileen-happy");
        byte[] corrupt = png.clone();
        for (int i = 200; i < corrupt.length - 100; i++) {
            corrupt[i] = (byte) (corrupt[i] ^ 0x5A);
        }
        assertThatThrownBy(() -> pipeline.run(corrupt)).isInstanceOf(ImageRejectedException.class)
                .satisfies(e -> assertThat(((ImageRejectedException) e).reason()).isIn(Reason.UNDECODABLE));
    }

    @Test
    void aSheetWithMoreFacesThanTheKeySchemeNumbersIsRejectedWithTheCount() {
        assertThat(pipeline.run(ImageCorpus.faceSheet("eileen-happy", 3, 80)).faces()).hasSize(9);
        byte[] sheet = ImageCorpus.faceSheet("eileen-happy", 34, 80);
        assertThatThrownBy(() -> pipeline.run(sheet)).isInstanceOf(ImageRejectedException.class)
                .satisfies(e -> assertThat(((ImageRejectedException) e).reason()).isEqualTo(Reason.TOO_MANY_FACES))
                .hasMessageMatching("too-many-faces: 1[01]\\d\\d faces found; one upload may give at most 1000 \\(split the sheet\\)");
    }

    /** A burst of images waits for room in the pixel budget instead of decoding all at once. */
    @Test
    void anImageWaitsUntilItsPixelsFitTheBudget() throws Exception {
        PixelBudget budget = new PixelBudget(320 * 720);
        CropPipeline bounded = new CropPipeline(new ImageHeaders(ImageLimits.defaults()), new ImageDecoder(AlphaMode.DROP),
                new FaceDetector(Fixtures.path(FaceDetector.CASCADE_FILE), DetectionParams.reference()), budget);
        java.util.concurrent.CompletableFuture<CropResult> second;
        try (PixelBudget.Lease first = budget.acquire(320 * 720)) { // another worker's image holds the whole budget
            second = java.util.concurrent.CompletableFuture.supplyAsync(() -> bounded.run(ImageCorpus.sprite("eileen-happy")));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(budget::hasWaiting);
            assertThat(second).isNotDone();
        }
        assertThat(second.get(30, java.util.concurrent.TimeUnit.SECONDS).faces()).hasSize(1);
        assertThat(budget.available()).isEqualTo(320 * 720);
        // a rejected image gives its share back too
        assertThatThrownBy(() -> bounded.run(ImageCorpus.faceSheet("eileen-happy", 34, 80))).isInstanceOf(ImageRejectedException.class);
        assertThat(budget.available()).isEqualTo(320 * 720);
    }

    @Test
    void limitsAreCheckedBeforeDecoding() {
        CropPipeline strict = new CropPipeline(new ImageHeaders(new ImageLimits(1000, 40_000_000)),
                new ImageDecoder(AlphaMode.DROP), new FaceDetector(Fixtures.path(FaceDetector.CASCADE_FILE),
                DetectionParams.reference()));
        assertThatThrownBy(() -> strict.run(ImageCorpus.sprite("eileen-happy")))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageStartingWith("too-large: the object has ")
                .hasMessageEndingWith(" bytes; the limit is 1000");
        CropPipeline few = new CropPipeline(new ImageHeaders(new ImageLimits(1 << 30, 320 * 720 - 1)),
                new ImageDecoder(AlphaMode.DROP), new FaceDetector(Fixtures.path(FaceDetector.CASCADE_FILE),
                DetectionParams.reference()));
        assertThatThrownBy(() -> few.run(ImageCorpus.sprite("eileen-happy")))
                .hasMessage("too-many-pixels: PNG of 320x720 = 230400 pixels; the limit is 230399 (refused before decoding)");
    }

    @Test
    void aMissingOrInvalidCascadeSaysHowToGetIt() {
        assertThatThrownBy(() -> new FaceDetector(Path.of("/nowhere/cascade.xml"), DetectionParams.reference()))
                .hasMessageContaining("does not exist")
                .hasMessageContaining("github.com/nagadomi/lbpcascade_animeface");
        assertThatThrownBy(() -> new FaceDetector(Fixtures.path("minio-kafka-event.json"), DetectionParams.reference()))
                .hasMessageContaining("is not a valid OpenCV cascade")
                .hasMessageContaining("OSHIGAN_CROP_CASCADE");
    }

    @Test
    void compositingOnWhiteIsAnOption() {
        CropPipeline white = new CropPipeline(new ImageHeaders(ImageLimits.defaults()), new ImageDecoder(AlphaMode.WHITE),
                new FaceDetector(Fixtures.path(FaceDetector.CASCADE_FILE), DetectionParams.reference()));
        CropResult result = white.run(ImageCorpus.sprite("eileen-happy"));
        assertThat(result.faces()).isNotEmpty();
        Mat crop = Imgcodecs.imdecode(new MatOfByte(result.faces().get(0).png()), Imgcodecs.IMREAD_COLOR);
        Mat dropped = Imgcodecs.imdecode(new MatOfByte(pipeline.run(ImageCorpus.sprite("eileen-happy")).faces().get(0).png()),
                Imgcodecs.IMREAD_COLOR);
        assertThat(crop.size()).isEqualTo(dropped.size());
    }

    private static void assertFace(byte[] image, ImageFormat format, String sprite) {
        assertFace(image, format, sprite, 2);
    }

    private static void assertFace(byte[] image, ImageFormat format, String sprite, int tolerance) {
        CropResult result = pipeline.run(image);
        assertThat(result.header().format()).isEqualTo(format);
        assertThat(result.faces()).as(format + " of " + sprite).hasSize(1);
        Box box = result.faces().get(0).box();
        assertThat(ImageCorpus.near(box, ImageCorpus.SPRITES.get(sprite), tolerance)).as("%s %s near %s", format, box,
                ImageCorpus.SPRITES.get(sprite)).isTrue();
    }

    private static void assertRejected(byte[] image, Reason reason, String message) {
        assertThatThrownBy(() -> pipeline.run(image))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ImageRejectedException) e).reason()).isEqualTo(reason));
    }
}
