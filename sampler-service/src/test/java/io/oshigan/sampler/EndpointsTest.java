package io.oshigan.sampler;

import io.oshigan.storage.CheckpointStore;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.testing.ServiceEndpointsContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The endpoints every service has; the sampler follows a run of its own, so it starts without any model. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@TestProfile(EndpointsTest.OwnRun.class)
class EndpointsTest extends ServiceEndpointsContract {
    static final String RUN = "endpoints-" + UUID.randomUUID().toString().substring(0, 8);

    public static class OwnRun implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oshigan.sampler.run", RUN);
        }
    }

    @Inject
    CheckpointStore store;

    /** Not ready, with the reason, until a generator is loaded; then ready and naming the version it serves. */
    @Override
    @Test
    protected void isReadyWithTheObjectStoreChecked() throws Exception {
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'object-store' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'generator' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'generator' }.data.reason", containsString("no model"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/api/v1/faces/1").then().statusCode(503).body("error", containsString("no model loaded yet"));
        given().get("/api/v1/faces/grid?n=4").then().statusCode(503).body("error", containsString("no model loaded yet"));

        String version = TestModels.publish(store, RUN, 1, 5);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'generator' }.data.version", equalTo(version)));
    }
}
