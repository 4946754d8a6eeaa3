package io.oshigan.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of the system under test, started as users start it, its output appended to a log file under
 * target/e2e-logs. It can be stopped gracefully (SIGTERM), killed (SIGKILL, as {@code kill -9}) and started again
 * with the same command.
 */
final class ChildProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    ChildProcess(String name, List<String> command, Map<String, String> environment, Path logDir) {
        this.name = name;
        this.command = command;
        this.environment = environment;
        this.log = logDir.resolve(name + ".log");
        try {
            Files.deleteIfExists(log); // a fresh log per test run; restarts append to it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} free ports, all different (the local stack's choice: chosen one by one, two came out equal). */
    static int[] freePorts(int count) {
        return io.oshigan.local.Ports.orFree(new int[count]);
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    synchronized void start() {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "==== start " + java.time.Instant.now() + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name + " failed", e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, nothing written on the way out. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process, 30);
        }
    }

    /** SIGTERM, then SIGKILL after the grace period. */
    synchronized void stop(int graceSeconds) {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(process, graceSeconds)) {
                process.destroyForcibly();
                waitFor(process, 30);
            }
        }
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory of the process now, from /proc (Linux). */
    long residentKilobytes() {
        return procStatus("VmRSS:");
    }

    /** The most resident memory the process has had (its high-water mark), from /proc (Linux). */
    long peakResidentKilobytes() {
        return procStatus("VmHWM:");
    }

    private long procStatus(String field) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                    .filter(l -> l.startsWith(field)).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Waits until GET url answers 200; fails with the tail of the log if the process dies or time runs out. */
    void awaitHttpOk(String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; log tail:\n" + tail());
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            sleep(250);
        }
        throw new AssertionError(name + " did not answer 200 at " + url + " within " + timeout + "; log tail:\n" + tail());
    }

    /** Waits until the log holds {@code text} at least {@code times} times (every start appends to the same log). */
    void awaitLog(String text, int times, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.readAllLines(log).stream().filter(l -> l.contains(text)).count() >= times) {
                    return;
                }
            } catch (IOException e) {
                // not written yet
            }
            if (!isAlive()) {
                throw new AssertionError(name + " exited; log tail:\n" + tail());
            }
            sleep(200);
        }
        throw new AssertionError(name + " did not log '" + text + "' within " + timeout + "; log tail:\n" + tail());
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean waitFor(Process process, int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
