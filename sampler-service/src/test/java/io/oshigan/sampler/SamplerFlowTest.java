package io.oshigan.sampler;

import io.oshigan.dcgan.Checkpoints;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The sampler against the real broker and S3 server: 503 before a model, determinism, hot swaps, bad input. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamplerFlowTest {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    CheckpointStore store;

    @Test
    @Order(1)
    void beforeAnyModelEverySampleEndpointAnswers503WithAReason() {
        given().get("/api/v1/faces/1").then().statusCode(503)
                .body("error", containsString("no model loaded yet"));
        given().get("/api/v1/faces/grid?n=4").then().statusCode(503);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(503)
                .body(containsString("no model"));
    }

    @Test
    @Order(2)
    void aSeedAlwaysGivesTheSameBytesAndDifferentSeedsDiffer() throws Exception {
        String version = TestModels.publish(store, "sampler-run", 1, 11);
        awaitServing(version);
        Response first = given().get("/api/v1/faces/42");
        first.then().statusCode(200).contentType("image/png").header("X-Model-Version", version).header("X-Seed", "42");
        byte[] again = given().get("/api/v1/faces/42").then().extract().asByteArray();
        assertThat(again).isEqualTo(first.asByteArray());
        assertThat(given().get("/api/v1/faces/43").then().extract().asByteArray()).isNotEqualTo(first.asByteArray());

        // concurrent requests are merged into shared session runs: the bytes must not depend on the batch mates
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> given().get("/api/v1/faces/42").then().statusCode(200).extract().asByteArray()));
            }
            for (Future<byte[]> answer : answers) {
                assertThat(answer.get()).isEqualTo(first.asByteArray());
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
    @Order(3)
    void eachBadParameterIsA400WithAPreciseMessage() {
        given().get("/api/v1/faces/grid?n=0").then().statusCode(400).body("error", equalTo("n must be between 1 and 64 but is 0"));
        given().get("/api/v1/faces/grid?n=65").then().statusCode(400).body("error", equalTo("n must be between 1 and 64 but is 65"));
        given().get("/api/v1/faces/1?format=gif").then().statusCode(400).body("error", equalTo("format must be png or jpeg but is 'gif'"));
        given().get("/api/v1/faces/1?truncation=hard").then().statusCode(400)
                .body("error", equalTo("truncation must be none, resample or scale but is 'hard'"));
        given().get("/api/v1/faces/1?version=nope@9").then().statusCode(400).body("error", containsString("unknown version 'nope@9'"));
        given().get("/api/v1/faces/interpolate?from=1&to=2&mode=cubic").then().statusCode(400)
                .body("error", equalTo("mode must be linear or spherical but is 'cubic'"));
        given().contentType("application/json").body("{\"latents\": [" + zeros(5) + "]}").post("/api/v1/faces/latents")
                .then().statusCode(400).body("error", containsString("latent vector 0 has 5 values; version sampler-run@1 needs nz = 16"));
        given().contentType("application/json").body("{\"latents\": [[1, 2,").post("/api/v1/faces/latents").then().statusCode(400);
        given().get("/api/v1/faces/notanumber").then().statusCode(404);
        given().get("/api/v1/faces/grid?rank=9").then().statusCode(400).body("error", equalTo("rank must be between 1 (off) and 8 but is 9"));
    }

    @Test
    @Order(4)
    void aNewCheckpointIsSwappedInUnderLoadWithoutAFailedRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.submit(() -> {
                int i = 0;
                while (running.get()) {
                    Response r = given().get("/api/v1/faces/" + (client * 1000 + i++));
                    if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failures.add(r.statusCode() + " " + r.asString());
                    }
                }
            });
        }
        String second = TestModels.publish(store, "sampler-run", 2, 22);
        awaitServing(second);
        Thread.sleep(500);
        running.set(false);
        clients.shutdown();
        clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThan(10);
        // the old version can still be asked for explicitly
        given().get("/api/v1/faces/5?version=sampler-run@1").then().statusCode(200).header("X-Model-Version", "sampler-run@1");
    }

    @Test
    @Order(5)
    void aCorruptCheckpointIsReportedAndTheCurrentModelKeepsServing() throws Exception {
        Path dir = Files.createTempDirectory("corrupt");
        Files.createDirectories(dir.resolve("generator"));
        Files.writeString(dir.resolve("generator/saved_model.pb"), "this is not a SavedModel");
        Files.writeString(dir.resolve(Checkpoints.MANIFEST),
                "{\"formatVersion\":1,\"architecture\":{\"nz\":16,\"ngf\":8,\"ndf\":8},\"step\":3}");
        String prefix = store.uploadCheckpoint("sampler-run", 3, dir);
        TestModels.announce("sampler-run", 3, prefix);

        await().atMost(TIMEOUT).until(() -> given().get("/api/v1/models").then().extract().<List<Object>>path("failures").size() > 0);
        given().get("/api/v1/models").then().body("current", equalTo("sampler-run@2"))
                .body("failures[0].version", equalTo("sampler-run@3"));
        given().get("/api/v1/faces/9").then().statusCode(200).header("X-Model-Version", "sampler-run@2");

        // the record again (a redelivery, or the catch-up racing the record): tried again, still one failure
        String firstAttempt = given().get("/api/v1/models").then().extract().path("failures[0].at");
        TestModels.announce("sampler-run", 3, prefix);
        await().atMost(TIMEOUT).until(() -> given().get("/api/v1/models").then().extract()
                .<List<String>>path("failures.findAll { it.version == 'sampler-run@3' }.at").stream()
                .anyMatch(at -> !at.equals(firstAttempt)));
        given().get("/api/v1/models").then().body("failures.size()", equalTo(1)).body("current", equalTo("sampler-run@2"));
        assertThat(given().get("/q/metrics").then().extract().asString()).contains("oshigan_sampler_model_load_failures_total 1.0");
    }

    @Test
    @Order(6)
    void aReferencePyTorchCheckpointIsImportedAndServed() throws Exception {
        byte[] pth = Files.readAllBytes(Path.of("../libs/dcgan/src/test/resources/parity/model_G_parity.pth"));
        String version = given().contentType("application/octet-stream").body(pth)
                .post("/api/v1/models/import?run=reference").then().statusCode(201).extract().path("version");
        assertThat(version).isEqualTo("reference@0");
        awaitServing(version);
        given().get("/api/v1/faces/1").then().statusCode(200).header("X-Model-Version", version);
        given().get("/api/v1/faces/1?rank=2").then().statusCode(400).body("error", containsString("has no discriminator"));

        given().contentType("application/octet-stream").body("definitely not a checkpoint".getBytes())
                .post("/api/v1/models/import").then().statusCode(400).body("error", containsString("not a PyTorch checkpoint"));
        given().contentType("application/octet-stream").body(pth)
                .post("/api/v1/models/import?run=Bad Run").then().statusCode(400).body("error", containsString("run id must match"));
    }

    @Test
    @Order(7)
    void aCheckpointWhoseRecordWasMissedIsServedByTheCatchUp() throws Exception {
        TestModels.upload(store, "sampler-run", 7, 77); // stored as the trainer does, but never announced

        awaitServing("sampler-run@7");
        given().get("/api/v1/faces/1").then().statusCode(200).header("X-Model-Version", "sampler-run@7");
    }

    private static void awaitServing(String version) {
        await().atMost(TIMEOUT).until(() -> version.equals(given().get("/api/v1/models").then().extract().path("current")));
    }

    private static String zeros(int n) {
        return "[" + String.join(",", java.util.Collections.nCopies(n, "0.0")) + "]";
    }
}
