package io.oshigan.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real local stack (Kafka + S3, deploy/local) in a child JVM, started once per test JVM. It runs in its own JVM
 * because s3proxy's Guice wiring fails under Quarkus' test class loader. The child watches its standard input and
 * exits when this JVM goes away, however it goes.
 */
public final class LocalStackProcess {
    public static final String JAR_PROPERTY = "oshigan.local-stack.jar";
    public static final String ACCESS_KEY = "oshigan";
    public static final String SECRET_KEY = "oshigan-secret";

    private static final Pattern READY = Pattern.compile("ready in (\\d+) ms: kafka=(\\S+) s3=(\\S+)");
    private static final long START_TIMEOUT_SECONDS = 90;
    private static LocalStackProcess shared;

    private final Process process;
    private final Path dataDir;
    private final String bootstrapServers;
    private final String s3Endpoint;

    private LocalStackProcess(Process process, Path dataDir, String bootstrapServers, String s3Endpoint) {
        this.process = process;
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
        this.s3Endpoint = s3Endpoint;
    }

    public static synchronized LocalStackProcess shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "local-stack-stop"));
        }
        return shared;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String s3Endpoint() {
        return s3Endpoint;
    }

    private static LocalStackProcess start() {
        Path jar = Path.of(System.getProperty(JAR_PROPERTY, "../deploy/local/target/oshigan-local-stack.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("local stack jar " + jar.toAbsolutePath() + " is missing: build it with "
                    + "`mvn -pl deploy/local -am package -DskipTests` (or run `mvn verify` from the top folder)");
        }
        try {
            Path dataDir = Files.createTempDirectory("oshigan-test-stack");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-jar", jar.toAbsolutePath().toString(),
                    "--data-dir", dataDir.toString(), "--kafka-port", "0", "--kafka-controller-port", "0",
                    "--s3-port", "0", "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY,
                    "--exit-when-stdin-closes"));
            return start(command, dataDir, START_TIMEOUT_SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("starting the local stack failed", e);
        }
    }

    /** Starts {@code command} and waits at most {@code timeoutSeconds} for its ready line. */
    static LocalStackProcess start(List<String> command, Path dataDir, long timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Matcher> ready = new CompletableFuture<>();
            readInBackground(process, seen, ready);
            try {
                // the deadline holds even when the child prints nothing at all: the reading happens on another thread
                Matcher started = ready.get(timeoutSeconds, TimeUnit.SECONDS);
                return new LocalStackProcess(process, dataDir, started.group(2), started.group(3));
            } catch (TimeoutException | ExecutionException e) {
                process.destroyForcibly();
                String why = e instanceof TimeoutException ? "did not become ready within " + timeoutSeconds + " s"
                        : "exited before it was ready (exit code " + exitCode(process) + ")";
                throw new IllegalStateException("local stack " + why + "; its output:\n" + String.join("\n", seen));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted while the local stack started", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("starting the local stack failed", e);
        }
    }

    /**
     * Drains the child's output on a daemon thread (a full pipe would block it): completes {@code ready} at the
     * ready line, then echoes the child's warnings into the test log; fails it if the output ends first.
     */
    private static void readInBackground(Process process, List<String> seen, CompletableFuture<Matcher> ready) {
        Thread reader = new Thread(() -> {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                    if (ready.isDone()) {
                        System.out.println("[local-stack] " + line);
                        continue;
                    }
                    seen.add(line);
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        System.out.println("[local-stack] " + line);
                        ready.complete(m);
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
            ready.completeExceptionally(new IOException("the local stack's output ended"));
        }, "local-stack-output");
        reader.setDaemon(true);
        reader.start();
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteRecursively(dataDir);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
