package io.oshigan.sampler;

import io.oshigan.testing.LocalStackResource;
import io.oshigan.testing.ServiceEndpointsContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class EndpointsTest extends ServiceEndpointsContract {

    /** The sampler is ready only with a generator loaded: readiness reports both checks either way. */
    @Override
    @Test
    protected void isReadyWithTheObjectStoreChecked() {
        Response ready = given().get("/q/health/ready");
        assertThat(ready.jsonPath().getList("checks.name")).contains("object-store", "generator");
        String generator = ready.jsonPath().getString("checks.find { it.name == 'generator' }.status");
        assertThat(ready.statusCode()).isEqualTo("UP".equals(generator) ? 200 : 503);
    }
}
