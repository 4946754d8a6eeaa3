package io.oshigan.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oshigan.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The command users run, itself: {@code ./oshigan run} starts the stack and the four services, an image uploaded
 * through the gateway is cropped, and SIGTERM to the launcher stops every process it started and frees the ports.
 */
class OshiganRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "oshigan-run-test-key";

    @Test
    void runStartsEverythingAnUploadIsCroppedAndTermStopsEveryProcess(@TempDir Path data) throws Exception {
        Path repo = Path.of(System.getProperty("oshigan.repo", "../..")).toAbsolutePath().normalize();
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        List<String> names = List.of("gateway", "crop", "trainer", "sampler", "kafka", "kafka-controller", "s3");
        int[] free = ChildProcess.freePorts(names.size());
        for (int i = 0; i < names.size(); i++) {
            ports.put(names.get(i), free[i]);
        }
        List<String> command = new java.util.ArrayList<>(List.of(repo.resolve("oshigan").toString(), "run",
                "--data-dir", data.toString(), "--api-key", KEY,
                "--cascade", Fixtures.path("lbpcascade_animeface.xml").toString()));
        ports.forEach((name, port) -> command.addAll(List.of("--" + name + "-port", String.valueOf(port))));
        Path log = data.resolve("launcher.log");
        Process launcher = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        List<ProcessHandle> children = List.of();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(launcher.isAlive()).as(tail(log)).isTrue();
                return Files.readString(log).contains("oshigan is up");
            });
            // the trainer's steps get what the machine has beside every process's heap (3.9 GB of them), not all of it
            var stepMemory = java.util.regex.Pattern.compile("a training step may take (\\d+)M outside the trainer's heap \\(this "
                    + "machine's (\\d+) MB").matcher(Files.readString(log));
            assertThat(stepMemory.find()).as(tail(log)).isTrue();
            long stepMb = Long.parseLong(stepMemory.group(1));
            assertThat(stepMb).isEqualTo(Math.max(0, Long.parseLong(stepMemory.group(2)) - 3968 - 1024));
            assertThat(stepMb).as("a machine whose steps may take the largest run there is (about 135 GB) cannot show "
                    + "its refusal").isLessThan(120_000);
            children = launcher.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).toList();
            assertThat(children).as("the stack and four services").hasSize(5);

            String gateway = "http://127.0.0.1:" + ports.get("gateway");
            var upload = Http.upload(gateway + "/api/uploads", KEY,
                    Map.of("eileen.png", Files.readAllBytes(Fixtures.path("anime/eileen-happy.png"))));
            assertThat(upload.statusCode()).as(new String(upload.body())).isEqualTo(200);
            JsonNode file = JSON.readTree(upload.body()).path("files").get(0);
            String status = gateway + "/api/dataset/upload?key=" + URLEncoder.encode(file.path("key").asText(), StandardCharsets.UTF_8)
                    + "&eTag=" + URLEncoder.encode(file.path("eTag").asText(), StandardCharsets.UTF_8);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> JSON.readTree(Http.getText(status)).path("status").asText().equals("CROPPED"));

            // and the trainer holds runs to it: one whose step needs far more (about 135 GB) is refused, naming it
            var tooBig = Http.postJson(gateway + "/api/training/runs", KEY,
                    "{\"runId\": \"too-big\", \"ngf\": 256, \"ndf\": 256, \"batchSize\": 4096}");
            assertThat(tooBig.statusCode()).isEqualTo(400);
            assertThat(new String(tooBig.body(), StandardCharsets.UTF_8))
                    .contains(stepMb == 0 ? "this trainer has no memory left for it outside its heap"
                            : String.format(java.util.Locale.ROOT, "this trainer has %.1f GB for it", stepMb * 1048576 / 1e9));
        } finally {
            launcher.destroy(); // SIGTERM, as a service manager or a terminal's close sends it
            boolean stopped = launcher.waitFor(2, TimeUnit.MINUTES);
            List<ProcessHandle> alive = children.stream().filter(ProcessHandle::isAlive).toList();
            if (!stopped || !alive.isEmpty()) { // leave nothing behind for the next test
                launcher.descendants().forEach(ProcessHandle::destroyForcibly);
                alive.forEach(ProcessHandle::destroyForcibly);
                launcher.destroyForcibly();
            }
            assertThat(stopped).as("the launcher ended on SIGTERM: " + tail(log)).isTrue();
            assertThat(alive).as("processes left after the launcher ended").isEmpty();
        }
        assertThat(Files.readString(log)).contains("oshigan: stopping").contains("oshigan: stopped");
        for (var port : ports.entrySet()) {
            assertThat(portFree(port.getValue())).as(port.getKey() + " port freed").isTrue();
        }
    }

    private static boolean portFree(int port) {
        try (var socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }
}
