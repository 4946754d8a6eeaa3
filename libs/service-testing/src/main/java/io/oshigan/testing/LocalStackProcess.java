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
import java.util.concurrent.TimeUnit;
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
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
            String line;
            while ((line = output.readLine()) != null) {
                seen.add(line);
                Matcher ready = READY.matcher(line);
                if (ready.find()) {
                    System.out.println("[local-stack] " + line);
                    echoInBackground(output);
                    return new LocalStackProcess(process, dataDir, ready.group(2), ready.group(3));
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("local stack did not become ready; its output:\n" + String.join("\n", seen));
        } catch (IOException e) {
            throw new UncheckedIOException("starting the local stack failed", e);
        }
    }

    /** Keeps draining the child's output (a full pipe would block it) and shows its warnings in the test log. */
    private static void echoInBackground(BufferedReader output) {
        Thread echo = new Thread(() -> {
            try {
                String line;
                while ((line = output.readLine()) != null) {
                    System.out.println("[local-stack] " + line);
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "local-stack-output");
        echo.setDaemon(true);
        echo.start();
    }

    private void stop() {
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
