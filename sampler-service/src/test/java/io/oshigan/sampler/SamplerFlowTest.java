package io.oshigan.sampler;

import io.oshigan.contracts.CheckpointLayout;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The sampler against the real broker and S3 server: determinism, hot swaps, bad input (503 before a model: EndpointsTest). */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class SamplerFlowTest {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String RUN = "sampler-run";
    /** Every test publishes checkpoints of its own under a new step, so that no test depends on another's. */
    static final AtomicLong STEPS = new AtomicLong();

    @Inject
    CheckpointStore store;

    @Test
    void aSeedAlwaysGivesTheSameBytesAndDifferentSeedsDiffer() throws Exception {
        String version = serveFreshModel(11);
        Response first = given().get("/api/v1/faces/42");
        first.then().statusCode(200).contentType("image/png").header("X-Model-Version", version).header("X-Seed", "42");
        byte[] again = given().get("/api/v1/faces/42").then().extract().asByteArray();
        assertThat(again).isEqualTo(first.asByteArray());
        assertThat(given().get("/api/v1/faces/43").then().extract().asByteArray()).isNotEqualTo(first.asByteArray());

        // concurrent requests of different seeds are merged into shared session runs: each answer must be the one
        // its seed gives alone (a leak of batch statistics or a mixed-up row would change it)
        Map<Integer, byte[]> alone = new HashMap<>();
        for (int seed = 40; seed < 48; seed++) {
            alone.put(seed, given().get("/api/v1/faces/" + seed).then().statusCode(200).extract().asByteArray());
        }
        assertThat(alone.values().stream().map(java.util.Arrays::hashCode).distinct()).hasSize(8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int seed = 40 + (i * 3) % 8;
                answers.add(pool.submit(() -> given().get("/api/v1/faces/" + seed).then().statusCode(200).extract().asByteArray()));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).as("seed %d", 40 + (i * 3) % 8).isEqualTo(alone.get(40 + (i * 3) % 8));
            }
        } finally {
            pool.shutdown();
        }
        given().get("/api/v1/faces/grid?seed=3&n=4&format=jpeg").then().statusCode(200).contentType("image/jpeg");
        given().get("/api/v1/faces/interpolate?from=1&to=2&steps=5&mode=linear").then().statusCode(200).contentType("image/png");
        given().get("/api/v1/faces/7?truncation=resample&threshold=1.5").then().statusCode(200);
        byte[] ranked = given().get("/api/v1/faces/grid?seed=5&n=2&rank=4").then().statusCode(200).extract().asByteArray();
        assertThat(given().get("/api/v1/faces/grid?seed=5&n=2&rank=4").then().extract().asByteArray()).isEqualTo(ranked);
        given().contentType("application/json").body("{\"latents\": [" + zeros(16) + "], \"format\": \"json\"}")
                .post("/api/v1/faces/latents").then().statusCode(200)
                .body("images.size()", equalTo(96 * 96 * 3)).body("version", equalTo(version));
    }

    @Test
    void eachBadParameterIsA400WithAPreciseMessage() throws Exception {
        String version = serveFreshModel(12);
        given().get("/api/v1/faces/grid?n=0").then().statusCode(400).body("error", equalTo("n must be between 1 and 64 but is 0"));
        given().get("/api/v1/faces/grid?n=65").then().statusCode(400).body("error", equalTo("n must be between 1 and 64 but is 65"));
        given().get("/api/v1/faces/1?format=gif").then().statusCode(400).body("error", equalTo("format must be png or jpeg but is 'gif'"));
        given().get("/api/v1/faces/1?truncation=hard").then().statusCode(400)
                .body("error", equalTo("truncation must be none, resample or scale but is 'hard'"));
        given().get("/api/v1/faces/1?version=nope@9").then().statusCode(400).body("error", containsString("unknown version 'nope@9'"));
        given().get("/api/v1/faces/interpolate?from=1&to=2&mode=cubic").then().statusCode(400)
                .body("error", equalTo("mode must be linear or spherical but is 'cubic'"));
        given().contentType("application/json").body("{\"latents\": [" + zeros(5) + "]}").post("/api/v1/faces/latents")
                .then().statusCode(400).body("error", containsString("latent vector 0 has 5 values; version " + version + " needs nz = 16"));
        given().contentType("application/json").body("{\"latents\": [[1, 2,").post("/api/v1/faces/latents").then().statusCode(400);
        // 2 MB in one vector: refused at the bound while it is read, not after holding it all
        given().contentType("application/json").body("{\"latents\": [[" + "0,".repeat(1 << 20) + "0]]}")
                .post("/api/v1/faces/latents").then().statusCode(400)
                .body("error", equalTo("latent vector 0 has more than 1024 values (the most any version's nz can be)"));
        given().get("/api/v1/faces/notanumber").then().statusCode(400)
                .body("error", equalTo("a parameter that must be a whole number is not one: For input string: \"notanumber\""));
        given().get("/api/v1/faces/grid?n=abc").then().statusCode(400).body("error", containsString("\"abc\""));
        given().get("/api/v1/faces/99999999999999999999").then().statusCode(400)
                .body("error", containsString("\"99999999999999999999\""));
        given().get("/api/v1/nothing-here").then().statusCode(404);
        given().get("/api/v1/faces/grid?rank=9").then().statusCode(400).body("error", equalTo("rank must be between 1 (off) and 8 but is 9"));
    }

    @Test
    void aNewCheckpointIsSwappedInUnderLoadWithoutAFailedRequest() throws Exception {
        String first = serveFreshModel(21);
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, AtomicInteger> servedBy = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.submit(() -> {
                int i = 0;
                while (running.get()) {
                    Response r = given().get("/api/v1/faces/" + (client * 1000 + i++));
                    if (r.statusCode() == 200) {
                        servedBy.computeIfAbsent(r.header("X-Model-Version"), v -> new AtomicInteger()).incrementAndGet();
                    } else {
                        failures.add(r.statusCode() + " " + r.asString());
                    }
                }
            });
        }
        await().atMost(TIMEOUT).until(() -> servedBy.containsKey(first));
        String second = TestModels.publish(store, RUN, STEPS.incrementAndGet(), 22);
        awaitServing(second);
        // the load goes on over the swap until the new version has served a few requests of it
        await().atMost(TIMEOUT).until(() -> servedBy.containsKey(second) && servedBy.get(second).get() >= 20);
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(failures).isEmpty();
        assertThat(servedBy.keySet()).containsExactlyInAnyOrder(first, second);
        // the old version can still be asked for explicitly
        given().get("/api/v1/faces/5?version=" + first).then().statusCode(200).header("X-Model-Version", first);
    }

    @Test
    void aCorruptCheckpointIsReportedAndTheCurrentModelKeepsServing() throws Exception {
        String good = serveFreshModel(33);
        double failuresBefore = loadFailures();
        long step = STEPS.incrementAndGet();
        String corrupt = RUN + "@" + step;
        Path dir = Files.createTempDirectory("corrupt");
        Files.createDirectories(dir.resolve("generator"));
        Files.writeString(dir.resolve("generator/saved_model.pb"), "this is not a SavedModel");
        Files.writeString(dir.resolve(CheckpointLayout.MANIFEST),
                "{\"formatVersion\":1,\"architecture\":{\"nz\":16,\"ngf\":8,\"ndf\":8},\"step\":" + step + "}");
        String prefix = store.uploadCheckpoint(RUN, step, dir);
        TestModels.announce(RUN, step, prefix);

        String failures = "failures.findAll { it.version == '" + corrupt + "' }";
        await().atMost(TIMEOUT).until(() -> given().get("/api/v1/models").then().extract().<List<Object>>path(failures).size() > 0);
        given().get("/api/v1/models").then().body("current", equalTo(good)).body(failures + ".size()", equalTo(1));
        given().get("/api/v1/faces/9").then().statusCode(200).header("X-Model-Version", good);

        // the record again (a redelivery, or the catch-up racing the record): tried again, still one failure
        String firstAttempt = given().get("/api/v1/models").then().extract().path(failures + "[0].at");
        TestModels.announce(RUN, step, prefix);
        await().atMost(TIMEOUT).until(() -> given().get("/api/v1/models").then().extract()
                .<List<String>>path(failures + ".at").stream().anyMatch(at -> !at.equals(firstAttempt)));
        given().get("/api/v1/models").then().body(failures + ".size()", equalTo(1)).body("current", equalTo(good));
        assertThat(loadFailures()).isEqualTo(failuresBefore + 1);
    }

    @Test
    void aReferencePyTorchCheckpointIsImportedAndServed() throws Exception {
        byte[] pth = Files.readAllBytes(Path.of("../libs/dcgan/src/test/resources/parity/model_G_parity.pth"));
        String version = given().contentType("application/octet-stream").body(pth)
                .post("/api/v1/models/import?run=reference").then().statusCode(201).extract().path("version");
        assertThat(version).matches("import-reference@\\d+");
        awaitServing(version);
        given().get("/api/v1/faces/1").then().statusCode(200).header("X-Model-Version", version);
        for (int i = 0; i < 3; i++) { // remembered after the first: no on-demand load spent on asking again
            given().get("/api/v1/faces/1?rank=2").then().statusCode(400)
                    .body("error", containsString("has no discriminator to rank with (an imported generator"));
        }

        // a pickle declaring a 2 GB string: refused before allocating it, and the sampler goes on serving
        given().contentType("application/octet-stream").body(zip("archive/data.pkl", new byte[]{(byte) 0x80, 2, 'B',
                        (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F, 'a', 'b', 'c', '.'}))
                .post("/api/v1/models/import?run=bombed").then().statusCode(400)
                .body("error", containsString("declares 2147483632 bytes but only 4 remain: refused before allocating"));
        given().get("/api/v1/faces/1").then().statusCode(200).header("X-Model-Version", version);
        given().contentType("application/octet-stream").body("definitely not a checkpoint".getBytes())
                .post("/api/v1/models/import").then().statusCode(400).body("error", containsString("not a PyTorch checkpoint"));
        // imports never land in a training run, and two at once take two steps
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> both = List.of(
                    pool.submit(() -> given().contentType("application/octet-stream").body(pth)
                            .post("/api/v1/models/import?run=run-1").then().statusCode(201).extract().<String>path("version")),
                    pool.submit(() -> given().contentType("application/octet-stream").body(pth)
                            .post("/api/v1/models/import?run=run-1").then().statusCode(201).extract().<String>path("version")));
            assertThat(both.get(0).get()).startsWith("import-run-1@").isNotEqualTo(both.get(1).get());
            assertThat(both.get(1).get()).startsWith("import-run-1@");
        } finally {
            pool.shutdown();
        }
        assertThat(store.completeCheckpoints("run-1")).isEmpty();
        given().contentType("application/octet-stream").body(pth)
                .post("/api/v1/models/import?run=Bad Run").then().statusCode(400).body("error", containsString("run id must match"));
    }

    @Test
    void aCheckpointWhoseRecordWasMissedIsServedByTheCatchUp() throws Exception {
        serveFreshModel(71);
        long step = STEPS.incrementAndGet();
        TestModels.upload(store, RUN, step, 77); // stored as the trainer does, but never announced

        awaitServing(RUN + "@" + step);
        given().get("/api/v1/faces/1").then().statusCode(200).header("X-Model-Version", RUN + "@" + step);
    }

    @Test
    void theCheckpointsAreListedNewestFirstWithWhatTheirManifestsSay() throws Exception {
        long step = STEPS.incrementAndGet();
        TestModels.upload(store, RUN, step, 5, 0.625, 2.5);
        String version = RUN + "@" + step;
        String entry = "checkpoints.find { it.version == '" + version + "' }";
        await().atMost(TIMEOUT).until(() -> given().get("/api/v1/models/checkpoints?limit=50").then().statusCode(200)
                .extract().path(entry) != null);
        given().get("/api/v1/models/checkpoints?limit=50").then()
                .body(entry + ".run", equalTo(RUN)).body(entry + ".step", equalTo((int) step))
                .body(entry + ".lossD", equalTo(0.625f)).body(entry + ".lossG", equalTo(2.5f))
                .body(entry + ".datasetSize", equalTo(10)).body(entry + ".precision", equalTo("fp32"))
                .body(entry + ".problem", equalTo(null));
        List<String> written = given().get("/api/v1/models/checkpoints?limit=50").then().extract().path("checkpoints.completedAt");
        assertThat(written.stream().map(t -> t == null ? java.time.Instant.MIN : java.time.Instant.parse(t)).toList())
                .as("newest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
        given().get("/api/v1/models/checkpoints?limit=1").then().body("checkpoints.size()", equalTo(1));
        given().get("/api/v1/models/checkpoints?limit=0").then().statusCode(400).body("error", containsString("limit must be 1..50"));
    }

    /** A new checkpoint of this class's run, announced and awaited: each test starts from a model of its own. */
    private String serveFreshModel(long seed) throws Exception {
        String version = TestModels.publish(store, RUN, STEPS.incrementAndGet(), seed);
        awaitServing(version);
        return version;
    }

    private static double loadFailures() {
        Matcher m = Pattern.compile("(?m)^oshigan_sampler_model_load_failures_total (\\S+)$")
                .matcher(given().get("/q/metrics").then().extract().asString());
        assertThat(m.find()).as("the load failure counter is exported").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static void awaitServing(String version) {
        await().atMost(TIMEOUT).until(() -> version.equals(given().get("/api/v1/models").then().extract().path("current")));
    }

    private static byte[] zip(String name, byte[] content) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static String zeros(int n) {
        return "[" + String.join(",", java.util.Collections.nCopies(n, "0.0")) + "]";
    }
}
