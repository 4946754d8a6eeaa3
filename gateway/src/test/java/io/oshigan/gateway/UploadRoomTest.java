package io.oshigan.gateway;

import io.oshigan.gateway.rest.UploadRoom;
import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Uploads being received are held to the disk they may fill (UploadRoom, 1536M by default): a multipart body that
 * does not fit beside those in flight is refused from its headers, before a byte is written, and the room is given
 * back when an upload ends, however it ends. Over sockets: an answer that came only after the body would never come.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(StubBackends.class)
class UploadRoomTest {
    private static final long NEAR_A_GIGABYTE = 1_000_000_000L;

    @TestHTTPResource("/")
    URL root;

    @Inject
    UploadRoom room;

    @Test
    void anUploadThatDoesNotFitBesideThoseInFlightIsRefusedFromItsHeaders() throws Exception {
        try (Socket first = open("/api/uploads", NEAR_A_GIGABYTE)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> room.receiving() == NEAR_A_GIGABYTE);
            // no key, another path's spelling: the room counts bodies, not routes; the answer comes from the headers
            for (String path : new String[]{"/api/uploads", "/api/uploads/", "/api/anything"}) {
                try (Socket second = open(path, NEAR_A_GIGABYTE)) {
                    String answer = RawHttp.answer(second);
                    assertThat(answer).as(path).startsWith("HTTP/1.1 503").containsIgnoringCase("Retry-After: 5")
                            .contains("the gateway is receiving as many uploads as its disk holds");
                }
            }
            assertThat(room.receiving()).isEqualTo(NEAR_A_GIGABYTE);
        }
        // the first client went away mid-body: its room is given back
        await().atMost(Duration.ofSeconds(10)).until(() -> room.receiving() == 0);
        try (Socket chunked = RawHttp.send(root, "POST /api/uploads HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n",
                "5\r\n--b\r\n\r\n".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(RawHttp.answer(chunked)).startsWith("HTTP/1.1 411").contains("an upload needs a Content-Length");
        }
        // a client without a key that may upload holds no room; a body that could never fit is a 413, not a retry
        try (Socket keyless = open("/api/uploads", NEAR_A_GIGABYTE, "")) {
            assertThat(RawHttp.answer(keyless)).startsWith("HTTP/1.1 401").contains("this request needs an API key");
        }
        try (Socket held = open("/api/uploads", 1000); Socket overMaxBody = open("/api/uploads", 1_100_000_000L);
             Socket wrapping = open("/api/uploads", Long.MAX_VALUE - 500)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> room.receiving() == 1000);
            assertThat(RawHttp.answer(overMaxBody)).startsWith("HTTP/1.1 413").contains("an upload takes at most 1073741824");
            assertThat(RawHttp.answer(wrapping)).startsWith("HTTP/1.1 413");
            assertThat(room.receiving()).isEqualTo(1000);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> room.receiving() == 0);
        // an ordinary upload passes, and gives its room back once answered
        given().header("X-API-Key", GatewayApiTest.KEY).multiPart("files", GatewayApiTest.sprite().toFile(), "image/png")
                .post("/api/uploads").then().statusCode(200).body("files[0].status", equalTo(201));
        await().atMost(Duration.ofSeconds(10)).until(() -> room.receiving() == 0);
    }

    /**
     * A keyed client that declares a large body and sends it a byte at a time (a slow loris: each byte resets the idle
     * timeout) goes on while no one waits for room, and is cut off, its room given back, once an upload is turned away.
     */
    @Test
    void aBodyThatComesTooSlowlyIsCutOffOnceOthersWaitForItsRoom() throws Exception {
        try (Socket slow = open("/api/uploads", NEAR_A_GIGABYTE)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> room.receiving() == NEAR_A_GIGABYTE);
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        slow.getOutputStream().write('x');
                        slow.getOutputStream().flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // cut off: what the test waits for
                }
            });
            trickle.start();
            Thread.sleep(14_000); // past its grace (12 s in tests), far behind its rate: no one waits, so it goes on
            assertThat(room.receiving()).isEqualTo(NEAR_A_GIGABYTE);

            long pressed = System.nanoTime();
            try (Socket turnedAway = open("/api/uploads", NEAR_A_GIGABYTE)) {
                assertThat(RawHttp.answer(turnedAway)).startsWith("HTTP/1.1 503");
            }
            String answer = RawHttp.answer(slow);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("the upload came too slowly while others waited");
            assertThat((System.nanoTime() - pressed) / 1e9).as("cut at the watch's next look").isLessThan(5);
            trickle.interrupt();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> room.receiving() == 0);
    }

    private Socket open(String path, long length) throws IOException {
        return open(path, length, "X-API-Key: " + GatewayApiTest.KEY + "\r\n");
    }

    /** A multipart POST declaring {@code length} bytes, of which only the first few are sent. */
    private Socket open(String path, long length, String keyHeader) throws IOException {
        return RawHttp.send(root, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + keyHeader
                + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + length + "\r\n\r\n",
                ("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.png\"\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
    }
}
