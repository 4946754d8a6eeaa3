package io.oshigan.gateway.security;

import io.oshigan.gateway.storage.Grids;
import org.jboss.resteasy.reactive.common.util.MultivaluedTreeMap;
import org.junit.jupiter.api.Test;

import jakarta.ws.rs.core.MultivaluedMap;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterCostTest {
    private static MultivaluedMap<String, String> query(String... pairs) {
        MultivaluedMap<String, String> query = new MultivaluedTreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.add(pairs[i], pairs[i + 1]);
        }
        return query;
    }

    @Test
    void aRequestCostsWhatItMakesTheServicesDo() {
        assertThat(RateLimiter.cost("/api/faces/7", query())).isEqualTo(1);
        assertThat(RateLimiter.cost("/api/faces/grid", query("n", "64"))).isEqualTo(64);
        assertThat(RateLimiter.cost("/api/faces/grid", query("n", "16", "rank", "4"))).isEqualTo(64);
        assertThat(RateLimiter.cost("/api/faces/interpolate", query("steps", "20"))).isEqualTo(20);
        assertThat(RateLimiter.cost("/api/dataset/crops", query("size", "48"))).isEqualTo(48);
        assertThat(RateLimiter.cost("/api/grids/demo/animation.gif", query())).isEqualTo(Grids.MAX_FRAMES);
        assertThat(RateLimiter.cost("/api/grids/demo/animation.gif/", query())).isEqualTo(Grids.MAX_FRAMES);
        assertThat(RateLimiter.cost("/api/grids/demo/animation.gif;x=1", query())).isEqualTo(Grids.MAX_FRAMES);
        assertThat(RateLimiter.cost("/api/faces/grid/", query("n", "64"))).isEqualTo(64);
        assertThat(RateLimiter.cost("/api/grids/demo/3.png", query())).isEqualTo(1);
        assertThat(RateLimiter.cost("/api/models/checkpoints", query())).isEqualTo(1);
    }
}
