package io.oshigan.local;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local stack's ports: free ones are all different, and none is a port asked for. (Chosen one after another, two
 * free ports once came out equal and Kafka refused to start; that happens about once in tens of thousands of pairs, so
 * this checks the property many times rather than reproducing the accident.)
 */
class PortsTest {

    @Test
    void freePortsAreAllDifferentAndNoneIsAPortAskedFor() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int asked = taken.getLocalPort();
            for (int i = 0; i < 300; i++) {
                int[] ports = Ports.orFree(0, asked, 0, 0);
                assertThat(ports[1]).isEqualTo(asked);
                assertThat(Arrays.stream(ports).distinct().count()).as(Arrays.toString(ports)).isEqualTo(4);
                assertThat(Arrays.stream(ports).allMatch(port -> port > 0)).isTrue();
            }
        }
    }
}
