package io.oshigan.e2e;

import io.oshigan.trainer.domain.SyntheticFaces;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole-system numbers on this machine, printed as Markdown: start-up time and memory of each service, the latency
 * from a drop into "raw" to the crop's manifest, and sample requests through the gateway while a reference-size
 * model trains, with the trainer's images/s with and without that load. Usage: SystemBenchmark (from
 * deploy/e2e/bench/report.sh, which builds first).
 */
public final class SystemBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FACES = 256;

    private SystemBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> referenceSize = Map.of("OSHIGAN_TRAINER_RUN_NGF", "64", "OSHIGAN_TRAINER_RUN_NDF", "64",
                "OSHIGAN_TRAINER_RUN_BATCH_SIZE", "64", "OSHIGAN_TRAINER_RUN_MIN_IMAGES", "64",
                "OSHIGAN_TRAINER_CHECKPOINT_EVERY_EPOCHS", "5", "OSHIGAN_TRAINER_INTRA_OP_THREADS", "0",
                "OSHIGAN_TRAINER_INTER_OP_THREADS", "0");
        try (LocalSystem system = new LocalSystem(referenceSize); ObjectStore objects = startStack(system)) {
            System.out.println("### Start-up and memory\n");
            System.out.println("Each service started alone (the others idle), time from `java -jar` to ready (the sampler: live, as it");
            System.out.println("has no model yet); resident memory (VmRSS) once ready, and again after the load test below.\n");
            System.out.println("| service | start-up to ready | RSS when ready |");
            System.out.println("|---|---|---|");
            Map<ChildProcess, Long> idleRss = new LinkedHashMap<>();
            for (ChildProcess service : List.of(system.crop, system.trainer, system.sampler, system.gateway)) {
                long start = System.nanoTime();
                system.startServices(service);
                long ms = (System.nanoTime() - start) / 1_000_000;
                ChildProcess.sleep(3000);
                idleRss.put(service, service.residentKilobytes());
                System.out.printf("| %s | %d ms | %d MB |%n", service.name(), ms, idleRss.get(service) / 1024);
            }
            dropToCrop(system, objects);
            loadWhileTraining(system, idleRss);
        }
    }

    private static ObjectStore startStack(LocalSystem system) {
        long start = System.nanoTime();
        system.startStack();
        System.out.printf("Local stack (Kafka KRaft + s3proxy) ready in %d ms.%n%n", (System.nanoTime() - start) / 1_000_000);
        ObjectStore objects = system.objects();
        for (int i = 0; i < FACES; i++) {
            String source = ObjectKeys.sourceId(Bucket.RAW.bucketName(), "synthetic/face-" + i + ".png", "bench");
            objects.put(Bucket.FACES, ObjectKeys.crop(source, 0), SyntheticFaces.png(SyntheticFaces.face(7, i)), "image/png");
        }
        return objects;
    }

    private static void dropToCrop(LocalSystem system, ObjectStore objects) throws Exception {
        byte[] sprite = Files.readAllBytes(io.oshigan.testkit.Fixtures.path("anime/eileen-happy.png"));
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String key = "latency/" + i + ".png";
            var stored = objects.put(Bucket.RAW, key, sprite, "image/png");
            long start = System.nanoTime();
            String manifest = ObjectKeys.cropManifest(ObjectKeys.sourceId(Bucket.RAW.bucketName(), key, stored.eTag()));
            while (!objects.exists(Bucket.FACES, manifest)) {
                Thread.sleep(5);
            }
            ms.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(ms);
        System.out.println("\n### Drop to crop\n");
        System.out.println("30 sprites put one after another into `raw` while training runs; time from the put's answer to the crop");
        System.out.println("manifest in `faces` (MinIO-format event, Kafka, crop-service: fetch, detect, crop, store), polled every 5 ms:");
        System.out.printf("p50 %.0f ms, p90 %.0f ms, max %.0f ms.%n", ms.get(14), ms.get(26), ms.get(29));
    }

    private static void loadWhileTraining(LocalSystem system, Map<ChildProcess, Long> idleRss) throws Exception {
        String gateway = system.url(system.gateway);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (Http.get(gateway + "/api/faces/1").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no model was served within 10 minutes");
            }
            Thread.sleep(1000);
        }
        double quiet = trainerImagesPerSecond(gateway, Duration.ofSeconds(30));
        String[] wrk = {"wrk", "-t2", "-c8", "-d30s", "--latency", "-s",
                system.repo.resolve("sampler-service/bench/seeds.lua").toString(), gateway + "/api/faces/"};
        Process load = new ProcessBuilder(wrk).redirectErrorStream(true).start();
        double loaded = trainerImagesPerSecond(gateway, Duration.ofSeconds(25));
        String report = new String(load.getInputStream().readAllBytes());
        load.waitFor();
        double quietAfter = trainerImagesPerSecond(gateway, Duration.ofSeconds(30));
        System.out.println("\n### Samples through the gateway while training\n");
        System.out.println("Reference-size model (ngf = ndf = 64, batch 64) training on " + FACES + " faces; `wrk -t2 -c8 -d30s` of n=1 faces");
        System.out.println("(new seed each request) through the gateway; trainer images/s from its step counter over 25-30 s windows.");
        System.out.println("The trainer runs at niceness 10, as `./oshigan run` starts it: the samples come first.\n");
        System.out.printf("- through the gateway: %s requests/s, p50 %s, p99 %s%n", field(report, "Requests/sec:"),
                percentile(report, "50%"), percentile(report, "99%"));
        System.out.printf("- trainer: %.0f images/s before, %.0f during the load (%.0f%%), %.0f after%n", quiet, loaded,
                100 * loaded / quiet, quietAfter);
        System.out.println("\n| service | RSS when ready | RSS after the load test |");
        System.out.println("|---|---|---|");
        idleRss.forEach((service, kb) -> System.out.printf("| %s | %d MB | %d MB |%n", service.name(), kb / 1024,
                service.residentKilobytes() / 1024));
    }

    private static double trainerImagesPerSecond(String gateway, Duration window) throws Exception {
        JsonNode before = JSON.readTree(Http.getText(gateway + "/api/training/status"));
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        JsonNode after = JSON.readTree(Http.getText(gateway + "/api/training/status"));
        double seconds = (System.nanoTime() - start) / 1e9;
        return (after.path("step").asLong() - before.path("step").asLong()) * 64 / seconds;
    }

    private static String field(String report, String label) {
        return report.lines().filter(l -> l.startsWith(label)).map(l -> l.substring(label.length()).trim()).findFirst().orElse("?");
    }

    private static String percentile(String report, String label) {
        return report.lines().map(String::trim).filter(l -> l.startsWith(label)).map(l -> l.substring(label.length()).trim())
                .findFirst().orElse("?");
    }
}
