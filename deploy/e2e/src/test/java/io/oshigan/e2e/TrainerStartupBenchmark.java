package io.oshigan.e2e;

import io.oshigan.trainer.domain.SyntheticFaces;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The packaged trainer started against a bucket that already holds N faces, as after a restart in production: time
 * from {@code java -jar} to ready, and to training on all N, and its resident memory (now and at its peak) while it
 * trains. The heap and the decoded-face cache are fixed, so memory must stay flat as N grows (the rest spills to
 * disk). Usage: TrainerStartupBenchmark [cache MB] [trainer heap] N... (deploy/e2e/bench/report.py builds first).
 */
public final class TrainerStartupBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UPLOAD_THREADS = 8;

    private TrainerStartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cacheMb = Integer.parseInt(args[0]);
        String heap = args[1];
        System.out.printf("Trainer heap -Xmx%s, decoded-face cache %d MB (uint8, 27648 bytes a face: %d faces; the rest "
                + "spills to local disk); small model (ngf = ndf = 8), batch 16, 1 TensorFlow thread.%n%n", heap, cacheMb,
                ((long) cacheMb << 20) / 27_648);
        System.out.println("| faces in the bucket | upload (bench, each face drawn and encoded) | java -jar to ready | to training on all | RSS training | peak RSS |");
        System.out.println("|---|---|---|---|---|---|");
        for (int a = 2; a < args.length; a++) {
            measure(Integer.parseInt(args[a]), cacheMb, heap);
        }
    }

    private static void measure(int n, int cacheMb, String heap) throws Exception {
        try (LocalSystem system = new LocalSystem(Map.of("OSHIGAN_TRAINER_CACHE_MEMORY_MB", String.valueOf(cacheMb)), heap)) {
            system.startStack();
            long uploadStart = System.nanoTime();
            try (ObjectStore objects = system.objects()) {
                ExecutorService pool = Executors.newFixedThreadPool(UPLOAD_THREADS);
                List<Future<?>> puts = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int face = i;
                    puts.add(pool.submit(() -> {
                        String source = ObjectKeys.sourceId(Bucket.RAW.bucketName(), "bench/" + face + ".png", "bench");
                        // each a face of its own, drawn here: the trainer holds a face once, whatever keys hold it
                        objects.put(Bucket.FACES, ObjectKeys.crop(source, 0), SyntheticFaces.png(SyntheticFaces.face(7, face)), "image/png");
                    }));
                }
                for (Future<?> put : puts) {
                    put.get();
                }
                pool.shutdown();
            }
            double uploadS = (System.nanoTime() - uploadStart) / 1e9;
            long start = System.nanoTime();
            system.startServices(system.trainer);
            double readyS = (System.nanoTime() - start) / 1e9;
            String status = system.url(system.trainer) + "/api/v1/trainer/status";
            while (true) {
                JsonNode s = JSON.readTree(Http.getText(status));
                if (s.path("datasetSize").asInt() >= n && s.path("step").asLong() > 0) {
                    break;
                }
                if (s.path("state").asText().equals("FAILED")) {
                    throw new IllegalStateException("the trainer failed: " + s.path("message").asText());
                }
                ChildProcess.sleep(200);
            }
            double trainingS = (System.nanoTime() - start) / 1e9;
            ChildProcess.sleep(5000); // a few batches of training on all of them
            System.out.printf("| %d | %.1f s | %.1f s | %.1f s | %d MB | %d MB |%n", n, uploadS, readyS, trainingS,
                    system.trainer.residentKilobytes() / 1024, system.trainer.peakResidentKilobytes() / 1024);
        }
    }
}
