package io.oshigan.gateway;

import io.oshigan.contracts.CropManifest;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.testkit.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(StubBackends.class)
class GatewayApiTest {
    static final String KEY = "test-key";

    @Inject
    ObjectStore store;

    /**
     * A fixture sprite as a file of bytes never uploaded before (random bytes after its end, which decoders ignore):
     * the gateway answers bytes it has stored with the earlier upload, and the test bucket is shared by every class.
     */
    static Path sprite() throws java.io.IOException {
        byte[] png = Files.readAllBytes(Fixtures.path("anime/eileen-happy.png"));
        byte[] unique = java.util.Arrays.copyOf(png, png.length + 16);
        byte[] tail = new byte[16];
        new java.security.SecureRandom().nextBytes(tail);
        System.arraycopy(tail, 0, unique, png.length, 16);
        Path file = Files.createTempDirectory("sprite").resolve("eileen-happy.png");
        file.toFile().deleteOnExit();
        file.getParent().toFile().deleteOnExit();
        return Files.write(file, unique);
    }

    /**
     * The page sends each dropped file as a request of its own, all at once: a folder holding one picture under two
     * names sends the same bytes twice at the same moment. One is stored, the other gets it back as a duplicate.
     */
    @Test
    void theSameBytesSentTwiceAtOnceUnderTwoNamesAreStoredOnce() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                Path sprite = sprite();
                Path renamed = Files.copy(sprite, sprite.resolveSibling("img-" + round + "-copy.png"));
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<io.restassured.path.json.JsonPath>> answers = new java.util.ArrayList<>();
                for (Path file : List.of(sprite, renamed)) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return given().header("X-API-Key", KEY).multiPart("files", file.toFile(), "image/png")
                                .post("/api/uploads").then().statusCode(200).extract().jsonPath();
                    }));
                }
                start.countDown();
                List<Integer> statuses = new java.util.ArrayList<>();
                java.util.Set<String> keys = new java.util.HashSet<>();
                for (var answer : answers) {
                    statuses.add(answer.get(30, java.util.concurrent.TimeUnit.SECONDS).getInt("files[0].status"));
                    keys.add(answer.get().getString("files[0].key"));
                }
                assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(201, 200);
                assertThat(keys).as("round %d: both answers name the one upload", round).hasSize(1);
                String key = keys.iterator().next();
                assertThat(store.list(Bucket.RAW, key.substring(0, key.lastIndexOf('/') + 1))).as("round %d", round).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The same bytes uploaded again (a retry after a lost answer) get the first upload back: one object, not two. */
    @Test
    void bytesUploadedBeforeGetTheEarlierUploadBack() throws Exception {
        Path sprite = sprite();
        io.restassured.path.json.JsonPath first = given().header("X-API-Key", KEY).multiPart("files", sprite.toFile(), "image/png")
                .post("/api/uploads").then().statusCode(200).body("files[0].status", equalTo(201)).extract().jsonPath();
        String key = first.getString("files[0].key");
        assertThat(key).matches("uploads/[0-9a-f]{32}/eileen-happy\\.png");
        Path renamed = Files.copy(sprite, sprite.resolveSibling("same-picture-other-name.png"));
        for (Path again : List.of(sprite, renamed)) {
            given().header("X-API-Key", KEY).multiPart("files", again.toFile(), "image/png").post("/api/uploads")
                    .then().statusCode(200).body("files[0].status", equalTo(200)).body("files[0].duplicate", equalTo(true))
                    .body("files[0].key", equalTo(key)).body("files[0].eTag", equalTo(first.getString("files[0].eTag")));
        }
        assertThat(store.list(Bucket.RAW, key.substring(0, key.lastIndexOf('/') + 1))).hasSize(1);
        // refused (say by a decoder bug fixed since): sent again, it is stored anew and looked at again
        String eTag = first.getString("files[0].eTag");
        CropManifest refused = CropManifest.rejected("raw", key, eTag,
                "undecodable: a decoder bug", java.time.Instant.now());
        store.put(Bucket.FACES, ObjectKeys.cropManifest(ObjectKeys.sourceId("raw", key, eTag)),
                CropManifest.CODEC.encode(refused), "application/json");
        // (the gateway keeps "no manifest yet" for 3 s: until then it is still answered as pending)
        String again = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .until(() -> given().header("X-API-Key", KEY).multiPart("files", sprite.toFile(), "image/png")
                        .post("/api/uploads").then().statusCode(200).extract().<String>path("files[0].key"), k -> !k.equals(key));
        assertThat(again).isEqualTo(key.substring(0, key.lastIndexOf('/') + 1) + "again-1-eileen-happy.png");
        given().header("X-API-Key", KEY).multiPart("files", sprite.toFile(), "image/png").post("/api/uploads")
                .then().statusCode(200).body("files[0].duplicate", equalTo(true)).body("files[0].key", equalTo(again));
        // in a batch, too: the new file is stored, the known one answered
        Path fresh = sprite();
        given().header("X-API-Key", KEY).multiPart("files", fresh.toFile(), "image/png").multiPart("files", sprite.toFile(), "image/png")
                .post("/api/uploads").then().statusCode(200).body("files.status", org.hamcrest.Matchers.contains(201, 200));
    }

    @Test
    void uploadsNeedAKeyAndLandInRaw() throws Exception {
        given().multiPart("files", sprite().toFile(), "image/png").post("/api/uploads").then().statusCode(401)
                .body("error", containsString("needs an API key"));
        given().header("X-API-Key", "wrong").multiPart("files", sprite().toFile(), "image/png").post("/api/uploads")
                .then().statusCode(403).body("error", equalTo("the API key is not valid"));
        String key = given().header("X-API-Key", KEY).multiPart("files", sprite().toFile(), "image/png")
                .post("/api/uploads").then().statusCode(200)
                .body("files", hasSize(1)).body("files[0].status", equalTo(201)).extract().path("files[0].key");
        assertThat(store.exists(Bucket.RAW, key)).isTrue();
        assertThat(store.stat(Bucket.RAW, key).orElseThrow().contentType()).isEqualTo("image/png");
        given().header("Authorization", "Bearer " + KEY).multiPart("files", sprite().toFile(), "image/png")
                .post("/api/uploads").then().statusCode(200);
    }

    @Test
    void anUploadKeyUploadsButCannotImportModelsOrControlTraining() throws Exception {
        String upload = "upload-only-key";
        given().header("X-API-Key", upload).multiPart("files", sprite().toFile(), "image/png").post("/api/uploads")
                .then().statusCode(200).body("files[0].status", equalTo(201));
        int pausesBefore = StubBackends.PAUSES.get();
        given().header("X-API-Key", upload).post("/api/training/pause").then().statusCode(403)
                .body("error", containsString("this key may only upload images"));
        given().header("X-API-Key", upload).body(new byte[]{1}).contentType("application/octet-stream")
                .post("/api/models/import").then().statusCode(403);
        given().header("Authorization", "Bearer " + upload).contentType("application/json").body("{\"runId\": \"x\"}")
                .post("/api/training/runs").then().statusCode(403);
        assertThat(StubBackends.PAUSES.get()).isEqualTo(pausesBefore);
        // the full key may do all of it
        given().header("X-API-Key", KEY).post("/api/training/pause").then().statusCode(200);
    }

    @Test
    void nonImagesAreRefusedByTheirBytesAndLargeFilesByTheirSize(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("totally-a-picture.png"), "hello, I am text");
        given().header("X-API-Key", KEY).multiPart("files", text.toFile(), "image/png").post("/api/uploads")
                .then().statusCode(415).body("error", containsString("totally-a-picture.png is not an image"));
        Path big = dir.resolve("huge.png");
        byte[] bytes = new byte[3 * 1024 * 1024];
        System.arraycopy(Files.readAllBytes(sprite()), 0, bytes, 0, 16);
        Files.write(big, bytes);
        given().header("X-API-Key", KEY).multiPart("files", big.toFile(), "image/png").post("/api/uploads")
                .then().statusCode(413).body("error", containsString("the limit is 2097152"));
        given().header("X-API-Key", KEY).multiPart("files", sprite().toFile(), "image/png").multiPart("files", text.toFile(), "image/png")
                .post("/api/uploads").then().statusCode(200)
                .body("files.status", org.hamcrest.Matchers.contains(201, 415));
    }

    @Test
    void samplesModelsAndTrainingPassThroughWithTheirHeaders() {
        given().get("/api/faces/42").then().statusCode(200).contentType("image/png")
                .header("X-Model-Version", "stub@1").header("X-Seed", "42");
        given().get("/api/faces/grid?seed=1&n=4").then().statusCode(200);
        given().get("/api/models").then().statusCode(200).body("current", equalTo("stub@1"));
        given().body(new byte[]{1}).contentType("application/octet-stream").post("/api/models/import").then().statusCode(401);
        given().get("/api/training/status").then().statusCode(200).body("state", equalTo("TRAINING"));
        given().get("/api/training/losses").then().statusCode(200).body("$", hasSize(2));
        given().post("/api/training/pause").then().statusCode(401);
        int before = StubBackends.PAUSES.get();
        given().header("X-API-Key", KEY).post("/api/training/pause").then().statusCode(200).body("state", equalTo("PAUSED"));
        assertThat(StubBackends.PAUSES.get()).isEqualTo(before + 1);
    }

    @Test
    void datasetStatsAndGridsComeFromTheBuckets() {
        store.put(Bucket.MODELS, ObjectKeys.grid("grid-run", 3), StubBackends.face(), "image/png");
        given().get("/api/grids?run=grid-run").then().statusCode(200).body("epochs", org.hamcrest.Matchers.contains(3));
        given().get("/api/grids/grid-run/3.png").then().statusCode(200).contentType("image/png");
        given().get("/api/grids/grid-run/4.png").then().statusCode(404).body("error", containsString("no grid for epoch 4"));
        given().get("/api/grids?run=../etc").then().statusCode(400);
    }

    @Test
    void theEpochsGridsComeAsOneAnimatedGifOfAtMost24FramesFromTheFirstEpochToTheLast() throws Exception {
        for (int epoch = 0; epoch < 30; epoch++) {
            store.put(Bucket.MODELS, ObjectKeys.grid("gif-run", epoch), solidPng(epochColour(epoch)), "image/png");
        }
        io.restassured.response.Response gif = given().get("/api/grids/gif-run/animation.gif");
        gif.then().statusCode(200).contentType("image/gif")
                .header("Content-Disposition", containsString("filename=\"gif-run-epochs.gif\""));
        List<java.awt.image.BufferedImage> frames = gifFrames(gif.asByteArray());
        assertThat(frames).hasSize(24);
        assertThat(frames.get(0).getRGB(5, 5) & 0xffffff).as("first epoch first").isEqualTo(epochColour(0));
        assertThat(frames.get(23).getRGB(5, 5) & 0xffffff).as("last epoch last").isEqualTo(epochColour(29));

        // a grid that is not a PNG is left out; a run with no readable grid, or none at all, is a 404 with the reason
        store.put(Bucket.MODELS, ObjectKeys.grid("gif-bad", 0), solidPng(epochColour(0)), "image/png");
        store.put(Bucket.MODELS, ObjectKeys.grid("gif-bad", 1), "<html>not a grid</html>".getBytes(), "image/png");
        assertThat(gifFrames(given().get("/api/grids/gif-bad/animation.gif").then().statusCode(200).extract().asByteArray())).hasSize(1);
        store.put(Bucket.MODELS, ObjectKeys.grid("gif-none", 0), new byte[]{(byte) 0x89, 'P', 'N', 'G'}, "image/png");
        given().get("/api/grids/gif-none/animation.gif").then().statusCode(404).body("error", equalTo("run gif-none has no grids yet"));
        given().get("/api/grids/no-such-run/animation.gif").then().statusCode(404).body("error", equalTo("run no-such-run has no grids yet"));
        given().get("/api/grids/Bad..Run/animation.gif").then().statusCode(400).body("error", containsString("run id must match"));
    }

    private static int epochColour(int epoch) {
        return (epoch * 8) << 16 | 0x40 << 8 | (255 - epoch * 8);
    }

    private static byte[] solidPng(int rgb) throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(20, 20, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    private static List<java.awt.image.BufferedImage> gifFrames(byte[] gif) throws Exception {
        javax.imageio.ImageReader reader = javax.imageio.ImageIO.getImageReadersByFormatName("gif").next();
        try (var in = javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(gif))) {
            reader.setInput(in);
            List<java.awt.image.BufferedImage> frames = new java.util.ArrayList<>();
            for (int i = 0; i < reader.getNumImages(true); i++) {
                frames.add(reader.read(i));
            }
            return frames;
        } finally {
            reader.dispose();
        }
    }

    @Test
    void onlyTheBackendsPublicRoutesAreProxied() {
        int pausesBefore = StubBackends.PAUSES.get();
        for (String path : List.of("/api/faces/..%2F..%2F..%2Fq%2Fmetrics", "/api/faces/..%2Fmodels", "/api/faces/42%2F..%2F..%2Fmodels",
                "/api/training/..%2F..%2F..%2Fq%2Fhealth", "/api/training/status%2F..%2Fpause", "/api/faces/grid%3Fx")) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(404);
        }
        given().urlEncodingEnabled(false).header("X-API-Key", KEY).post("/api/training/..%2F..%2F..%2Fq%2Fmetrics").then().statusCode(404);
        given().urlEncodingEnabled(false).header("X-API-Key", KEY).post("/api/training/pause%2F..%2F..%2Fx").then().statusCode(404);
        assertThat(StubBackends.STRAYS).isEmpty();
        assertThat(StubBackends.PAUSES.get()).isEqualTo(pausesBefore);
        given().get("/api/faces/-7").then().statusCode(200).header("X-Seed", "-7");
        given().get("/api/training/losses").then().statusCode(200);
    }

    @Test
    void datasetCountsFollowWhatTheBucketsHold() {
        io.restassured.path.json.JsonPath before = given().get("/api/dataset").then().statusCode(200).extract().jsonPath();
        String prefix = "counted-" + java.util.UUID.randomUUID() + "/";
        store.put(Bucket.RAW, prefix + "a.png", StubBackends.face(), "image/png");
        store.put(Bucket.RAW, prefix + "b.png", StubBackends.face(), "image/png");
        String cropped = ObjectKeys.sourceId("raw", prefix + "a.png", "e1");
        store.put(Bucket.FACES, ObjectKeys.crop(cropped, 0), StubBackends.face(), "image/png");
        store.put(Bucket.FACES, ObjectKeys.demoCrop(99_999), StubBackends.face(), "image/png");   // the demo's
        java.time.Instant now = java.time.Instant.now();
        manifest(cropped, CropManifest.of("raw", prefix + "a.png", "e1", java.util.List.of(new CropManifest.Entry(0,
                ObjectKeys.crop(cropped, 0), new io.oshigan.contracts.FaceCropped.Box(1, 2, 30, 30), "0".repeat(64))), now));
        manifest(ObjectKeys.sourceId("raw", prefix + "b.png", "e1"),
                CropManifest.rejected("raw", prefix + "b.png", "e1", "too-large: 20000x20000 pixels", now));
        manifest(ObjectKeys.sourceId("raw", prefix + "c.png", "e1"),
                CropManifest.rejected("raw", prefix + "c.png", "e1", "too-large: 30000x1 pixels", now));

        // counted again once the cached counts expire (dataset-stats-ttl, 1 s in tests)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                given().get("/api/dataset").then().extract().jsonPath().getInt("rawImages") == before.getInt("rawImages") + 2);
        io.restassured.path.json.JsonPath after = given().get("/api/dataset").then().statusCode(200).extract().jsonPath();
        assertThat(after.getInt("rawImages")).isEqualTo(before.getInt("rawImages") + 2);
        assertThat(after.getInt("faces")).isEqualTo(before.getInt("faces") + 2);
        assertThat(after.getInt("demoFaces")).as("of them the demo's synthetic ones")
                .isEqualTo(before.getInt("demoFaces") + 1);
        assertThat(count(after, "processed.CROPPED")).isEqualTo(count(before, "processed.CROPPED") + 1);
        assertThat(count(after, "processed.REJECTED")).isEqualTo(count(before, "processed.REJECTED") + 2);
        assertThat(count(after, "rejectedByReason.too-large")).isEqualTo(count(before, "rejectedByReason.too-large") + 2);
        given().get("/api/dataset/upload?key=" + prefix + "b.png&eTag=e1").then().statusCode(200)
                .body("status", equalTo("REJECTED")).body("rejectedReason", equalTo("too-large: 20000x20000 pixels"));
        given().get("/api/dataset/upload?key=" + prefix + "never.png&eTag=e1").then().statusCode(200).body("status", equalTo("PENDING"));
    }

    private void manifest(String sourceId, CropManifest manifest) {
        store.put(Bucket.FACES, ObjectKeys.cropManifest(sourceId), CropManifest.CODEC.encode(manifest), "application/json");
    }

    private static int count(io.restassured.path.json.JsonPath json, String path) {
        Integer value = json.get("'" + path.replace(".", "'.'") + "'");
        return value == null ? 0 : value;
    }

    @Test
    void thePageAndTheApiDocsAreServed() {
        given().get("/").then().statusCode(200).body(containsString("oshigan"));
        given().get("/app.js").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200).body(containsString("/api/uploads"));
        given().get("/api/docs").then().statusCode(200);
    }

    @Test
    void thePageCarriesSecurityHeadersAndCorsIsClosed() {
        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY");
        given().get("/app.js").then().header("Content-Security-Policy", containsString("default-src 'self'"));
        // the page, its script and its style are checked again at each load (a 304 while unchanged), so after an upgrade
        // a browser never runs an old page with a new script or the reverse (a day's 'immutable' cache did)
        for (String asset : new String[]{"/", "/index.html", "/app.js", "/app.css"}) {
            String lastModified = given().get(asset).then().statusCode(200).header("Cache-Control", "no-cache")
                    .extract().header("Last-Modified");
            given().header("If-Modified-Since", lastModified).get(asset).then().statusCode(304);
        }
        // another site's page may not read the API from its visitors' browsers
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET")
                .options("/api/models").then().header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
        given().header("Origin", "https://evil.example").get("/api/models").then()
                .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
    }
}
