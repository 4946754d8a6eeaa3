package io.oshigan.trainer;

import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code device=gpu} (as prod sets it) on a machine where TensorFlow sees no GPU, as here: the run is refused with the
 * reason in readiness, status and the log, and the failed metric is 1, instead of training on the CPU while holding a
 * GPU. The service stays live.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@TestProfile(GpuRequiredTest.GpuRequired.class)
class GpuRequiredTest {

    public static class GpuRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oshigan.trainer.device", "gpu",
                    "oshigan.trainer.run.id", "gpu-" + UUID.randomUUID().toString().substring(0, 8));
        }
    }

    @Test
    void withoutAGpuTheRunFailsWithTheReasonAndReadinessIsDown() {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "FAILED".equals(given().get("/api/v1/trainer/status").then().extract().path("state")));
        given().get("/api/v1/trainer/status").then()
                .body("message", startsWith("device=gpu, but TensorFlow placed the graph on [/job:localhost/replica:0/task:0/device:CPU:0]: it sees no GPU"));
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'training' }.data.reason", containsString("it sees no GPU"));
        given().get("/q/metrics").then().body(containsString("oshigan_trainer_failed 1.0"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
