package io.oshigan.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up deadline is real: a child that never prints, or dies, fails the start at once with its output. */
class LocalStackProcessTest {

    @Test
    void aSilentChildFailsTheStartAtTheDeadline(@TempDir Path dir) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> LocalStackProcess.start(List.of("sleep", "600"), dir, 2))
                .hasMessageContaining("did not become ready within 2 s");
        assertThat((System.nanoTime() - started) / 1e9).as("seconds until the start failed").isLessThan(30);
    }

    @Test
    void aChildThatExitsFailsTheStartWithItsOutput(@TempDir Path dir) {
        assertThatThrownBy(() -> LocalStackProcess.start(List.of("sh", "-c", "echo broker failed: port taken; exit 3"), dir, 60))
                .hasMessageContaining("exited before it was ready (exit code 3)")
                .hasMessageContaining("broker failed: port taken");
    }

    @Test
    void theReadyLineGivesTheAddresses(@TempDir Path dir) {
        LocalStackProcess stack = LocalStackProcess.start(List.of("sh", "-c",
                "echo starting; echo 'local stack ready in 12 ms: kafka=localhost:1234 s3=http://localhost:5678'; sleep 600"), dir, 60);
        try {
            assertThat(stack.bootstrapServers()).isEqualTo("localhost:1234");
            assertThat(stack.s3Endpoint()).isEqualTo("http://localhost:5678");
        } finally {
            stack.stop();
        }
    }
}
