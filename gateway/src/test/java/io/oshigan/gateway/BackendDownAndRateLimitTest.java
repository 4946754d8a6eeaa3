package io.oshigan.gateway;

import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** Backends that are down answer 503 with a reason at once; sample requests beyond the limit answer 429. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@TestProfile(BackendDownAndRateLimitTest.DownAndLimited.class)
class BackendDownAndRateLimitTest {

    public static class DownAndLimited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oshigan.gateway.sampler-url", "http://127.0.0.1:1", "oshigan.gateway.trainer-url", "http://127.0.0.1:1",
                    "oshigan.gateway.samples-per-minute", "20");
        }
    }

    @Test
    void aBackendThatIsDownIsA503WithTheReasonNotAHang() {
        long start = System.nanoTime();
        given().get("/api/training/status").then().statusCode(503).contentType("application/json")
                .body("error", containsString("the trainer is unreachable"));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void sampleRequestsBeyondTheLimitAre429WithRetryAfter() {
        Response limited = null;
        for (int i = 0; i < 40 && limited == null; i++) {
            Response r = given().get("/api/faces/" + i);
            assertThat(r.statusCode()).isIn(503, 429);
            if (r.statusCode() == 429) {
                limited = r;
            }
        }
        assertThat(limited).as("a 429 within 40 requests at 20 a minute").isNotNull();
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
        assertThat(limited.jsonPath().getString("error")).contains("the limit is 20 a minute per client");
    }
}
