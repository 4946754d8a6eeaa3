package io.oshigan.e2e;

import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StorageSettings;
import io.oshigan.testkit.Fixtures;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole system on this machine, every part its own process as `./oshigan run` starts it: the local stack (Kafka
 * in KRaft mode + s3proxy) and the four packaged services, on free ports, with a small model so training publishes
 * checkpoints within seconds on two cores.
 */
final class LocalSystem implements AutoCloseable {
    static final String API_KEY = "e2e-api-key";
    static final String RUN = "e2e";
    private static final String ACCESS_KEY = "oshigan";
    private static final String SECRET_KEY = "oshigan-secret";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** As `./oshigan run` starts it: training takes the CPU the services people wait on leave. */
    private static final int TRAINER_NICENESS = 10;

    final Path repo = Path.of(System.getProperty("oshigan.repo", "../..")).toAbsolutePath().normalize();
    final Path work;
    final int kafkaPort = ChildProcess.freePort();
    final int s3Port = ChildProcess.freePort();
    final ChildProcess stack;
    final ChildProcess crop;
    final ChildProcess trainer;
    final ChildProcess sampler;
    final ChildProcess gateway;
    private final Map<ChildProcess, Integer> ports = new HashMap<>();
    private int stackStarts;

    LocalSystem() throws java.io.IOException {
        this(Map.of());
    }

    /** @param trainerSettings environment overriding the small test model (e.g. the reference size for benchmarks) */
    LocalSystem(Map<String, String> trainerSettings) throws java.io.IOException {
        this(trainerSettings, trainerSettings.isEmpty() ? "1g" : "3g");
    }

    LocalSystem(Map<String, String> trainerSettings, String trainerHeap) throws java.io.IOException {
        work = Files.createTempDirectory("oshigan-e2e");
        Path logs = repo.resolve("deploy/e2e/target/e2e-logs");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int controllerPort = ChildProcess.freePort();
        stack = new ChildProcess("local-stack", List.of(java, "-Xmx512m", "-XX:+UseSerialGC",
                "-jar", repo.resolve("deploy/local/target/oshigan-local-stack.jar").toString(),
                "--data-dir", work.resolve("stack").toString(), "--kafka-port", String.valueOf(kafkaPort),
                "--kafka-controller-port", String.valueOf(controllerPort), "--s3-port", String.valueOf(s3Port),
                "--access-key", ACCESS_KEY), Map.of("OSHIGAN_S3_SECRET_KEY", SECRET_KEY), logs);
        crop = service(java, "crop-service", "512m", logs, Map.of(
                "OSHIGAN_CROP_CASCADE", Fixtures.path("lbpcascade_animeface.xml").toString(),
                "OSHIGAN_CROP_RECONCILE_EVERY", "15s",
                "OSHIGAN_CROP_RECONCILE_INITIAL_DELAY", "5s"));
        Map<String, String> trainerEnv = new HashMap<>(Map.ofEntries(
                Map.entry("OSHIGAN_TRAINER_RUN_ID", RUN),
                Map.entry("OSHIGAN_TRAINER_RUN_NGF", "8"),
                Map.entry("OSHIGAN_TRAINER_RUN_NDF", "8"),
                Map.entry("OSHIGAN_TRAINER_RUN_BATCH_SIZE", "16"),
                Map.entry("OSHIGAN_TRAINER_RUN_MIN_IMAGES", "32"),
                Map.entry("OSHIGAN_TRAINER_CHECKPOINT_EVERY_EPOCHS", "50"),
                Map.entry("OSHIGAN_TRAINER_INTRA_OP_THREADS", "1"),
                Map.entry("OSHIGAN_TRAINER_INTER_OP_THREADS", "1"),
                Map.entry("OSHIGAN_TRAINER_WORK_DIR", work.resolve("trainer").toString())));
        trainerEnv.putAll(trainerSettings);
        trainer = service(java, "trainer-service", trainerHeap, logs, trainerEnv);
        sampler = service(java, "sampler-service", "768m", logs, Map.of(
                "OSHIGAN_SAMPLER_WORK_DIR", work.resolve("sampler").toString(),
                "OSHIGAN_SAMPLER_THREADS_INTRA_OP", "1",
                "OSHIGAN_SAMPLER_THREADS_INTER_OP", "1"));
        gateway = service(java, "gateway", "384m", logs, Map.of(
                "OSHIGAN_GATEWAY_SAMPLER_URL", "http://127.0.0.1:" + ports.get(sampler),
                "OSHIGAN_GATEWAY_TRAINER_URL", "http://127.0.0.1:" + ports.get(trainer),
                "OSHIGAN_GATEWAY_API_KEYS", API_KEY,
                "OSHIGAN_GATEWAY_SAMPLES_PER_MINUTE", "100000"));
    }

    private ChildProcess service(String java, String name, String heap, Path logs, Map<String, String> extra) {
        Path jar = repo.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn verify` from the top folder (it packages the services first)");
        }
        int port = ChildProcess.freePort();
        Map<String, String> env = new HashMap<>(extra);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        // as ./oshigan run: the backends only on this machine, the gateway on every interface
        env.put("QUARKUS_HTTP_HOST", name.equals("gateway") ? "0.0.0.0" : "127.0.0.1");
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
        env.put("OSHIGAN_S3_ENDPOINT", "http://127.0.0.1:" + s3Port);
        env.put("OSHIGAN_S3_ACCESS_KEY", ACCESS_KEY);
        env.put("OSHIGAN_S3_SECRET_KEY", SECRET_KEY);
        env.put("TF_CPP_MIN_LOG_LEVEL", "2");
        env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + work.resolve("tmp-" + name));
        List<String> command = new ArrayList<>();
        if (name.equals("trainer-service")) {
            command.addAll(List.of("nice", "-n", String.valueOf(TRAINER_NICENESS)));
        }
        command.addAll(List.of(java, "-Xmx" + heap, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString()));
        ChildProcess process = new ChildProcess(name, command, env, logs);
        ports.put(process, port);
        try {
            Files.createDirectories(work.resolve("tmp-" + name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return process;
    }

    void startStack() {
        stack.start();
        stack.awaitLog("ready in", ++stackStarts, START_TIMEOUT);
    }

    /** Starts the services together, as `./oshigan run` does, and waits for each to be ready (the sampler: live). */
    void startServices(ChildProcess... services) {
        for (ChildProcess service : services) {
            service.start();
        }
        CompletableFuture.allOf(java.util.Arrays.stream(services)
                .map(s -> CompletableFuture.runAsync(() -> awaitUp(s))).toArray(CompletableFuture[]::new)).join();
    }

    void awaitUp(ChildProcess service) {
        String health = service == sampler ? "/q/health/live" : "/q/health/ready";
        service.awaitHttpOk(url(service) + health, START_TIMEOUT);
    }

    String url(ChildProcess service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    long pid(ChildProcess service) {
        return service.pid();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    ObjectStore objects() {
        return ObjectStore.connect(new StorageSettings(URI.create("http://127.0.0.1:" + s3Port), ACCESS_KEY, SECRET_KEY,
                StorageSettings.DEFAULT_REGION));
    }

    @Override
    public void close() {
        for (ChildProcess service : List.of(gateway, sampler, trainer, crop)) {
            service.stop(20);
        }
        stack.stop(20);
        try (var paths = Files.walk(work)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
