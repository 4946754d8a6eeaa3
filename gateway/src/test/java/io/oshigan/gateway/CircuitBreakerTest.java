package io.oshigan.gateway;

import com.sun.net.httpserver.HttpServer;
import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The sampler's circuit breaker: after 8 calls that mostly failed it opens, and requests get a 503 at once without
 * reaching the sampler; once its delay is over, one trial call that succeeds closes it again.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@TestProfile(CircuitBreakerTest.FlakySampler.class)
class CircuitBreakerTest {
    private static final AtomicBoolean HEALTHY = new AtomicBoolean(false);
    private static final AtomicInteger CALLS = new AtomicInteger();
    private static final HttpServer SAMPLER = flakySampler();

    public static class FlakySampler implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oshigan.gateway.sampler-url", "http://127.0.0.1:" + SAMPLER.getAddress().getPort());
        }
    }

    @AfterAll
    static void stopSampler() {
        SAMPLER.stop(0);
    }

    @Test
    void repeatedFailuresOpenTheBreakerAndASuccessfulTrialClosesIt() {
        for (int i = 0; i < 8; i++) {
            given().get("/api/models").then().statusCode(503).body("error", equalTo("the sampler failed with HTTP 500"));
        }
        assertThat(CALLS).hasValue(8);

        // open: answered at once, the sampler is not called, even once it is healthy again
        given().get("/api/models").then().statusCode(503).header("Retry-After", "5").body("error", containsString("failed repeatedly"));
        HEALTHY.set(true);
        given().get("/api/models").then().statusCode(503).body("error", containsString("failed repeatedly"));
        assertThat(CALLS).hasValue(8);

        // after the breaker's delay (5 s) a trial call goes through, succeeds, and closes it
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/api/models").statusCode() == 200);
        assertThat(CALLS.get()).isGreaterThan(8);
        for (int i = 0; i < 4; i++) {
            given().get("/api/models").then().statusCode(200).body("current", equalTo("stub@1"));
        }
    }

    private static HttpServer flakySampler() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                CALLS.incrementAndGet();
                byte[] body = (HEALTHY.get() ? "{\"current\":\"stub@1\"}" : "{\"error\":\"boom\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(HEALTHY.get() ? 200 : 500, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
