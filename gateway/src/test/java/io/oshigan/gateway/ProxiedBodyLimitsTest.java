package io.oshigan.gateway;

import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.oshigan.gateway.GatewayApiTest.KEY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A proxied body goes into the heap, so each route bounds it before it is read (BodyLimits): over the limit from its
 * Content-Length, and without one (chunked, HTTP/2 DATA frames) at once. Whatever the path looks like: the limit
 * belongs to the route, not to a spelling of its path.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(StubBackends.class)
class ProxiedBodyLimitsTest {
    private static final int LATENTS_LIMIT = 4 << 20;

    @TestHTTPResource("/")
    URL root;

    @Inject
    Vertx vertx;

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() throws Exception {
        int before = StubBackends.LATENTS.get();
        given().header("X-API-Key", KEY).contentType("application/json").body("{\"latents\": [[0]]}")
                .post("/api/faces/latents").then().statusCode(200);
        assertThat(StubBackends.LATENTS.get()).isEqualTo(before + 1);
        given().header("X-API-Key", KEY).contentType("application/json").body(new byte[LATENTS_LIMIT + 1])
                .post("/api/faces/latents").then().statusCode(413)
                .body("error", equalTo("the body has 4194305 bytes; POST /api/faces/latents takes at most 4194304"));
        given().header("X-API-Key", KEY).contentType("application/json").body(new byte[(64 << 10) + 1])
                .post("/api/training/runs").then().statusCode(413)
                .body("error", equalTo("the body has 65537 bytes; POST /api/training/runs takes at most 65536"));
        // 300 MB declared, 10 bytes sent: the answer comes from the header alone
        assertThat(raw("/api/faces/latents", "Content-Length: 300000000\r\n", "{\"latents\"".getBytes(StandardCharsets.US_ASCII)))
                .startsWith("HTTP/1.1 413").contains("the body has 300000000 bytes");
        assertThat(StubBackends.LATENTS.get()).isEqualTo(before + 1);
    }

    @Test
    void theLimitBelongsToTheRouteNotToASpellingOfItsPath() throws Exception {
        int before = StubBackends.LATENTS.get();
        for (String path : new String[]{"/api/faces/latents/", "/api//faces/latents", "/api/faces/latents;x=1"}) {
            assertThat(raw(path, "Content-Length: 300000000\r\n", "{\"latents\"".getBytes(StandardCharsets.US_ASCII)))
                    .as(path).startsWith("HTTP/1.1 413").contains("the body has 300000000 bytes");
            assertThat(raw(path, "Transfer-Encoding: chunked\r\n", chunk(10))).as(path).startsWith("HTTP/1.1 411");
        }
        assertThat(StubBackends.LATENTS.get()).isEqualTo(before);
    }

    @Test
    void aBodyWithoutALengthIsRefusedBeforeItIsRead() throws Exception {
        int before = StubBackends.LATENTS.get();
        assertThat(raw("/api/faces/latents", "Transfer-Encoding: chunked\r\n", chunk(10))).startsWith("HTTP/1.1 411")
                .contains("needs a Content-Length (at most 4194304 bytes; 0 for no body), not a chunked or unsized body");
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        try {
            // HTTP/2 DATA frames without a content-length, never ended: refused from the headers
            HttpClientRequest request = http2(client, "/api/faces/latents");
            var answer = answer(request);
            request.setChunked(true).write(Buffer.buffer(new byte[LATENTS_LIMIT + (1 << 20)]));
            Object[] got = answer.get(30, TimeUnit.SECONDS);
            assertThat(((HttpClientResponse) got[0]).version()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(((HttpClientResponse) got[0]).statusCode()).isEqualTo(411);
            assertThat(got[1].toString()).contains("needs a Content-Length");
            // a bodiless HTTP/2 POST (pause, resume) says so with content-length: 0, and passes
            HttpClientRequest pause = http2(client, "/api/training/pause");
            var paused = answer(pause);
            pause.putHeader("Content-Length", "0").end();
            assertThat(((HttpClientResponse) paused.get(30, TimeUnit.SECONDS)[0]).statusCode()).isNotIn(411, 413);
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(StubBackends.LATENTS.get()).isEqualTo(before);
    }

    private HttpClientRequest http2(HttpClient client, String path) throws Exception {
        HttpClientRequest request = client.request(HttpMethod.POST, root.getPort(), root.getHost(), path)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return request.putHeader("X-API-Key", KEY).putHeader("Content-Type", "application/json");
    }

    private static java.util.concurrent.CompletableFuture<Object[]> answer(HttpClientRequest request) {
        return request.response().compose(response -> response.body().map(body -> new Object[]{response, body}))
                .toCompletionStage().toCompletableFuture();
    }

    private static byte[] chunk(int size) {
        byte[] head = (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[head.length + size];
        System.arraycopy(head, 0, chunk, 0, head.length);
        java.util.Arrays.fill(chunk, head.length, chunk.length, (byte) ' ');
        return chunk;
    }

    /** A POST to {@code path} with {@code headers} and {@code body}, over a socket; the first answer as text. */
    private String raw(String path, String headers, byte[] body) throws IOException {
        try (Socket socket = RawHttp.send(root, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY
                + "\r\nContent-Type: application/json\r\n" + headers + "\r\n", body)) {
            return RawHttp.answer(socket);
        }
    }
}
