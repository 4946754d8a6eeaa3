package io.oshigan.gateway.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {
    private final ClientAddress clients = new ClientAddress(List.of("10.0.0.0/8", "127.0.0.1"));

    @Test
    void theRightMostUntrustedHopIsTheClient() {
        assertThat(clients.of("10.1.2.3", "203.0.113.7")).isEqualTo("203.0.113.7");
        // what the client wrote at the left is skipped; proxies append to the right
        assertThat(clients.of("10.1.2.3", "1.2.3.4, 203.0.113.7, 10.9.9.9")).isEqualTo("203.0.113.7");
        assertThat(clients.of("10.1.2.3", "evil.example, 203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(clients.of("10.1.2.3", "10.4.4.4")).isEqualTo("10.1.2.3");
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertThat(clients.of("203.0.113.50", "198.51.100.1")).isEqualTo("203.0.113.50");
        assertThat(clients.of("11.0.0.1", "198.51.100.1")).as("outside 10.0.0.0/8").isEqualTo("11.0.0.1");
        assertThat(clients.of("203.0.113.50", null)).isEqualTo("203.0.113.50");
    }

    @Test
    void blocksAreParsedStrictly() {
        assertThat(new ClientAddress(List.of("::1/128")).of("::1", "203.0.113.7")).isEqualTo("203.0.113.7");
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/40"))).hasMessageContaining("not an address block");
        assertThatThrownBy(() -> new ClientAddress(List.of("ingress.local"))).hasMessageContaining("not an address block");
    }
}
