package io.oshigan.crop;

import io.oshigan.testing.LocalStackResource;
import io.oshigan.testing.ServiceEndpointsContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class EndpointsTest extends ServiceEndpointsContract {

    /** One replica holds all four partitions here, so it is the one that scans. */
    @org.junit.jupiter.api.Test
    void theOnlyReplicaRunsTheReconciliationScan() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> io.restassured.RestAssured
                .given().get("/q/metrics").then().extract().asString().contains("oshigan_crop_scan_leader 1.0"));
    }
}
