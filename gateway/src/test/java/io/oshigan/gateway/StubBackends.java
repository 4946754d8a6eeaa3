package io.oshigan.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-ins for the sampler and the trainer, answering their documented APIs, so the gateway's own behaviour is
 * tested here; the real services are tested in their modules and together end to end.
 */
public class StubBackends implements QuarkusTestResourceLifecycleManager {
    static final AtomicInteger STEP = new AtomicInteger();
    static final AtomicInteger PAUSES = new AtomicInteger();
    /** Latents requests that reached the sampler. */
    static final AtomicInteger LATENTS = new AtomicInteger();
    /** Requests for anything but the documented APIs: a proxy that forwards them is a hole. */
    static final java.util.List<String> STRAYS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] face = face();
        server.createContext("/", exchange -> {
            STRAYS.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            send(exchange, 200, "text/plain", "a management endpoint".getBytes());
        });
        server.createContext("/api/v1/faces/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/latents")) {
                LATENTS.incrementAndGet();
            }
            exchange.getResponseHeaders().add("X-Model-Version", "stub@1");
            exchange.getResponseHeaders().add("X-Seed", path.substring(path.lastIndexOf('/') + 1));
            send(exchange, 200, "image/png", face);
        });
        server.createContext("/api/v1/models", exchange -> send(exchange, 200, "application/json",
                "{\"current\":\"stub@1\",\"available\":[\"stub@1\"],\"loaded\":[\"stub@1\"],\"failures\":[]}".getBytes()));
        server.createContext("/api/v1/trainer/status", exchange -> send(exchange, 200, "application/json",
                ("{\"state\":\"TRAINING\",\"runId\":\"stub-run\",\"epoch\":3,\"step\":" + STEP.incrementAndGet()
                        + ",\"lossD\":1.2,\"lossG\":0.8,\"imagesPerSecond\":123.4,\"etaSecondsToEpochEnd\":5,\"datasetSize\":40}").getBytes()));
        server.createContext("/api/v1/trainer/losses", exchange -> send(exchange, 200, "application/json",
                "[{\"step\":10,\"epoch\":1,\"lossD\":1.4,\"lossG\":0.7},{\"step\":20,\"epoch\":1,\"lossD\":1.1,\"lossG\":0.9}]".getBytes()));
        server.createContext("/api/v1/trainer/pause", exchange -> {
            PAUSES.incrementAndGet();
            send(exchange, 200, "application/json", "{\"state\":\"PAUSED\"}".getBytes());
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("oshigan.gateway.sampler-url", url, "oshigan.gateway.trainer-url", url);
    }

    @Override
    public void stop() {
        server.stop(0);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    static byte[] face() {
        BufferedImage image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(250, 200, 220));
        g.fillRect(0, 0, 96, 96);
        g.setColor(new Color(228, 64, 122));
        g.fillOval(20, 20, 56, 56);
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
