package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configured intra-op threads are the threads TensorFlow computes with, in a process whose first session is the
 * SavedModel loader's, as in the sampler: TensorFlow sizes one process-wide CPU pool from the first session it makes,
 * and the loader's used to have the default (a thread per core of the node, whatever the container's limit).
 * Each count comes from a fresh JVM, as a pool is sized once per process.
 */
class SessionThreadsTest {
    private static final Architecture SMALL = new Architecture(16, 8, 8);

    @Test
    void aServedGeneratorComputesWithTheConfiguredIntraOpThreads() throws Exception {
        Path dir = Files.createTempDirectory("session-threads");
        try (TrainingGraph graph = TrainingGraph.builder(SMALL, Hyperparameters.reference()).seed(1)
                .threads(new SessionThreads(1, 1)).build()) {
            Checkpoints.write(graph, dir, 0, 0, 0, Instant.now());
        }
        int one = nativeThreadsServing(dir, 1);
        int three = nativeThreadsServing(dir, 3);
        assertThat(three - one).as("native threads with intra-op 3 (%d) against 1 (%d)", three, one).isEqualTo(2);
    }

    /** Threads of a fresh JVM that served a few batches with {@code intraOp} threads, not counting the JVM's own. */
    private static int nativeThreadsServing(Path checkpoint, int intraOp) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Serve.class.getName(), checkpoint.toString(),
                Integer.toString(intraOp)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        List<String> out = new String(child.getInputStream().readAllBytes()).lines().toList();
        assertThat(child.exitValue()).as("child output %s", out).isZero();
        return Integer.parseInt(out.get(out.size() - 1).trim());
    }

    /** The child: serves from the SavedModel (its loader's the first session), then counts native threads. */
    public static final class Serve {
        public static void main(String[] args) throws IOException {
            SessionThreads threads = new SessionThreads(Integer.parseInt(args[1]), 1);
            try (ServingGraph generator = ServingGraph.load(Path.of(args[0]).resolve("generator"), SMALL, threads, Precision.FP32);
                 var latents = Tensors.of(new float[4 * SMALL.nz()], 4, 1, 1, SMALL.nz())) {
                for (int i = 0; i < 5; i++) {
                    generator.generate(latents);
                }
                long nativeThreads = 0; // Java threads carry their names; TensorFlow's keep the process's, "java"
                try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                    for (Path task : tasks.toList()) {
                        nativeThreads += Files.readString(task.resolve("comm")).trim().equals("java") ? 1 : 0;
                    }
                }
                System.out.println(nativeThreads);
            }
        }
    }
}
