package io.oshigan.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sample requests per second and latency percentiles, 8 concurrent clients, for one base URL and path prefix.
 * Usage: GatewayLoad LABEL URL_PREFIX   (e.g. http://localhost:8080/api/faces/ or http://localhost:8083/api/v1/faces/)
 */
public final class GatewayLoad {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private GatewayLoad() {
    }

    public static void main(String[] args) throws Exception {
        String label = args[0];
        String prefix = args[1];
        int clients = 8;
        int each = 150;
        for (int i = 0; i < 40; i++) {
            get(prefix + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Double>>> parts = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            parts.add(pool.submit(() -> {
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    long t = System.nanoTime();
                    get(prefix + (client * 100_000 + i));
                    ms.add((System.nanoTime() - t) / 1e6);
                }
                return ms;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> part : parts) {
            all.addAll(part.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Collections.sort(all);
        System.out.printf("%s: %d clients, %.0f requests/s, p50 %.1f ms, p99 %.1f ms%n", label, clients, all.size() / seconds,
                all.get(all.size() / 2), all.get((int) Math.ceil(0.99 * all.size()) - 1));
    }

    private static void get(String url) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
    }
}
