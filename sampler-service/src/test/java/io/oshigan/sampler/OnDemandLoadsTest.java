package io.oshigan.sampler;

import io.oshigan.storage.CheckpointStore;
import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Requests that name versions which are not loaded make the sampler download and build a graph each: at most
 * {@code on-demand-loads-per-minute} of them, over all clients; versions already loaded answer as always.
 */
@QuarkusTest
@TestProfile(OnDemandLoadsTest.TwoLoads.class)
@WithTestResource(LocalStackResource.class)
class OnDemandLoadsTest {
    static final String RUN = "loads-run";

    public static class TwoLoads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // follows a run of its own that never publishes: every version below is loaded on demand
            return Map.of("oshigan.sampler.on-demand-loads-per-minute", "2", "oshigan.sampler.max-loaded", "3",
                    "oshigan.sampler.run", "loads-followed-run");
        }
    }

    @Inject
    CheckpointStore store;

    @Test
    void loadsBeyondTheLimitAre429WithRetryAfterAndLoadedVersionsStillAnswer() throws Exception {
        for (int step = 1; step <= 3; step++) {
            TestModels.upload(store, RUN, step, 40 + step);
        }
        given().get("/api/v1/faces/7?version=" + RUN + "@1").then().statusCode(200).header("X-Model-Version", RUN + "@1");
        given().get("/api/v1/faces/7?version=" + RUN + "@2").then().statusCode(200).header("X-Model-Version", RUN + "@2");

        String retryAfter = given().get("/api/v1/faces/7?version=" + RUN + "@3").then().statusCode(429)
                .body("error", containsString("too many loads of versions that are not loaded: at most 2 a minute"))
                .extract().header("Retry-After");
        assertThat(Long.parseLong(retryAfter)).isBetween(1L, 60L);
        assertThat(given().get("/api/v1/models").then().extract().<java.util.List<String>>path("loaded"))
                .containsExactlyInAnyOrder(RUN + "@1", RUN + "@2");

        for (int i = 0; i < 5; i++) {
            given().get("/api/v1/faces/" + i + "?version=" + RUN + "@1").then().statusCode(200);
        }
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
