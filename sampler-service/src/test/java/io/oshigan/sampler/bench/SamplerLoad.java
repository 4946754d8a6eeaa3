package io.oshigan.sampler.bench;

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
import java.util.concurrent.atomic.AtomicInteger;

/** HTTP load against a running sampler: throughput at n=64, n=1 latency percentiles, 16 concurrent clients. Usage: SamplerLoad URL */
public final class SamplerLoad {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SamplerLoad() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        for (int i = 0; i < 10; i++) {
            get(base + "/api/v1/faces/grid?seed=" + i + "&n=64");
            get(base + "/api/v1/faces/" + i);
        }
        long start = System.nanoTime();
        int grids = 20;
        for (int i = 0; i < grids; i++) {
            get(base + "/api/v1/faces/grid?seed=" + i + "&n=64");
        }
        System.out.printf("  HTTP grid n=64 (PNG): %.0f images/s%n", grids * 64 / ((System.nanoTime() - start) / 1e9));
        for (int clients : new int[]{1, 8}) {
            List<Double> ms = latencies(base, clients, 800 / clients);
            System.out.printf("  n=1 with %d client(s): p50 %.1f ms, p99 %.1f ms%n", clients, pct(ms, 50), pct(ms, 99));
        }
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long until = System.nanoTime() + 5_000_000_000L;
        long t0 = System.nanoTime();
        for (int c = 0; c < 16; c++) {
            int client = c;
            pool.submit(() -> {
                int i = 0;
                while (System.nanoTime() < until) {
                    get(base + "/api/v1/faces/" + (client * 100_000 + i++));
                    done.incrementAndGet();
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        System.out.printf("  16 clients, n=1: %.0f images/s%n", done.get() / ((System.nanoTime() - t0) / 1e9));
    }

    private static List<Double> latencies(String base, int clients, int each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Double>>> parts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            parts.add(pool.submit(() -> {
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    long start = System.nanoTime();
                    get(base + "/api/v1/faces/" + (client * 10_000 + i));
                    ms.add((System.nanoTime() - start) / 1e6);
                }
                return ms;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> part : parts) {
            all.addAll(part.get());
        }
        pool.shutdown();
        Collections.sort(all);
        return all;
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static void get(String url) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + new String(r.body()));
        }
    }
}
