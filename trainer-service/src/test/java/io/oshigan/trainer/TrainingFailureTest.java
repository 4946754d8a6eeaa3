package io.oshigan.trainer;

import io.oshigan.contracts.CheckpointLayout;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.ObjectStore;
import io.oshigan.testkit.HostileImages;
import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A training loop that fails is visible (readiness down with the reason, a metric) instead of stopping silently,
 * and a new run starts it again, skipping stored crops that will not decode. Its own application instance, so the
 * failure touches no other test.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@TestProfile(TrainingFailureTest.OwnInstance.class)
class TrainingFailureTest {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static class OwnInstance implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oshigan.trainer.run.id", "failure-" + UUID.randomUUID().toString().substring(0, 8));
        }
    }

    @Inject
    CheckpointStore models;

    @Inject
    ObjectStore store;

    @Test
    void aFailedLoopIsNotReadyWithItsReasonAndANewRunStartsItAgain(@TempDir Path dir) throws Exception {
        String broken = "broken-" + UUID.randomUUID().toString().substring(0, 8);
        Files.createDirectories(dir.resolve("checkpoint"));
        Files.writeString(dir.resolve("checkpoint/model.index"), "not a TensorFlow checkpoint");
        Files.writeString(dir.resolve(CheckpointLayout.MANIFEST), "{\"formatVersion\": 1, \"architecture\": {\"nz\": 16, "
                + "\"ngf\": 8, \"ndf\": 8}, \"step\": 5}");
        models.uploadCheckpoint(broken, 5, dir);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().body(containsString("oshigan_trainer_failed 0.0"));

        given().contentType("application/json").body("{\"runId\": \"" + broken + "\"}").post("/api/v1/trainer/runs")
                .then().statusCode(202);
        await().atMost(TIMEOUT).until(() -> "FAILED".equals(given().get("/api/v1/trainer/status").then().extract().path("state")));
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'training' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'training' }.data.reason", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
        given().get("/q/metrics").then().body(containsString("oshigan_trainer_failed 1.0"));
        given().get("/q/health/live").then().statusCode(200);
        // nothing to pause: refused with the reason, not a pause left set for the next run to start paused
        given().post("/api/v1/trainer/pause").then().statusCode(409)
                .body("error", containsString("no run is under way to pause (state FAILED)"));

        // stored crops that will not decode (garbage, a PNG claiming 30000x30000, a GIF without a frame, on which ImageIO
        // throws IndexOutOfBoundsException and the loop used to fail at every start): the next loop skips and counts them
        String bad = "crops/bad-" + UUID.randomUUID() + "/";
        store.put(Bucket.FACES, bad + "000.png", "not a png".getBytes(), "image/png");
        store.put(Bucket.FACES, bad + "001.png", HostileImages.pngBomb(), "image/png");
        store.put(Bucket.FACES, bad + "002.png", HostileImages.gifWithoutAFrame(), "image/png");

        String healed = "healed-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body("{\"runId\": \"" + healed + "\"}").post("/api/v1/trainer/runs")
                .then().statusCode(202);
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/api/v1/trainer/status").then()
                .body("runId", equalTo(healed)).body("state", org.hamcrest.Matchers.not("FAILED")));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().body(containsString("oshigan_trainer_failed 0.0"))
                .body(containsString("oshigan_trainer_crops_skipped_total 3.0"));
    }
}
