package io.oshigan.e2e;

import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StorageSettings;
import io.oshigan.storage.testing.ThreeTries;
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
    private static final List<String> SERVICES = List.of("gateway", "crop-service", "trainer-service", "sampler-service");
    /** Test JVMs start faster with the C1 compiler only and the serial collector (CI has two cores). */
    private static final String FAST_START = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    final Path repo = Path.of(System.getProperty("oshigan.repo", "../..")).toAbsolutePath().normalize();
    final Path work;
    /** Kafka, its controller, S3, then each of {@link #SERVICES}. */
    private final int[] freePorts = ChildProcess.freePorts(3 + SERVICES.size());
    final int kafkaPort = freePorts[0];
    final int s3Port = freePorts[2];
    final ChildProcess stack;
    final ChildProcess crop;
    final ChildProcess trainer;
    final ChildProcess sampler;
    final ChildProcess gateway;
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<ChildProcess, Integer> processPorts = new HashMap<>();
    private final List<String> options;
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
        int controllerPort = freePorts[1];
        for (int i = 0; i < SERVICES.size(); i++) {
            ports.put(SERVICES.get(i), freePorts[3 + i]);
        }
        // every process through the launch definition users run (./oshigan stack and service): the same wiring,
        // heaps, priorities and JVM options; what differs here is the ports, the data folder and the settings below
        List<String> options = new ArrayList<>(List.of("--data-dir", work.toString(),
                "--kafka-port", String.valueOf(kafkaPort), "--kafka-controller-port", String.valueOf(controllerPort),
                "--s3-port", String.valueOf(s3Port), "--access-key", ACCESS_KEY, "--api-key", API_KEY,
                "--cascade", Fixtures.path("lbpcascade_animeface.xml").toString()));
        for (String service : SERVICES) {
            options.addAll(List.of("--" + service.replace("-service", "") + "-port", String.valueOf(ports.get(service))));
        }
        this.options = List.copyOf(options);
        stack = launch("local-stack", List.of("stack"), Map.of(), logs);
        crop = service("crop-service", logs, Map.of(
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
                Map.entry("JAVA_OPTS", FAST_START + " -Xmx" + trainerHeap)));
        trainerEnv.putAll(trainerSettings);
        trainer = service("trainer-service", logs, trainerEnv);
        sampler = service("sampler-service", logs, Map.of(
                "OSHIGAN_SAMPLER_THREADS_INTRA_OP", "1",
                "OSHIGAN_SAMPLER_THREADS_INTER_OP", "1",
                "JAVA_OPTS", FAST_START + " -Xmx768m"));
        gateway = service("gateway", logs, Map.of("OSHIGAN_GATEWAY_SAMPLES_PER_MINUTE", "100000"));
    }

    private ChildProcess service(String name, Path logs, Map<String, String> extra) {
        Path jar = repo.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn verify` from the top folder (it packages the services first)");
        }
        Map<String, String> env = new HashMap<>(Map.of("JAVA_OPTS", FAST_START));
        env.putAll(extra);
        env.put("TF_CPP_MIN_LOG_LEVEL", "2");
        env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + work.resolve("tmp-" + name));
        try {
            Files.createDirectories(work.resolve("tmp-" + name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ChildProcess process = launch(name, List.of("service", name), env, logs);
        processPorts.put(process, ports.get(name));
        return process;
    }

    private ChildProcess launch(String name, List<String> subcommand, Map<String, String> extra, Path logs) {
        List<String> command = new ArrayList<>(List.of(repo.resolve("oshigan").toString()));
        command.addAll(subcommand);
        command.addAll(options);
        Map<String, String> env = new HashMap<>(extra);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("OSHIGAN_S3_SECRET_KEY", SECRET_KEY);
        return new ChildProcess(name, command, env, logs);
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
        return "http://127.0.0.1:" + processPorts.get(service);
    }

    long pid(ChildProcess service) {
        return service.pid();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /**
     * The tests' own client of the live system's S3. Its reads are tried three times, as a service's are
     * ({@code TransientRetry.request}): s3proxy answers a listing with a 500 while an object in it is being written,
     * and a drill must not fail for that.
     */
    ObjectStore objects() {
        return ObjectStore.connect(new StorageSettings(URI.create("http://127.0.0.1:" + s3Port), ACCESS_KEY, SECRET_KEY,
                StorageSettings.DEFAULT_REGION), ThreeTries.POLICY);
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
