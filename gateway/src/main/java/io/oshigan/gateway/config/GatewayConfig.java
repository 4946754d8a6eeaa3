package io.oshigan.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The gateway's configuration (env OSHIGAN_GATEWAY_...). */
@ConfigMapping(prefix = "oshigan.gateway")
public interface GatewayConfig {
    /** Keys accepted for every write (upload, import, training control), comma-separated; from a Kubernetes Secret in production. */
    Optional<List<String>> apiKeys();

    /** Keys that may upload images and nothing else (no model import, no training control): for people who only drop pictures. */
    Optional<List<String>> uploadKeys();

    /** Whether reads need a key too. */
    @WithDefault("false")
    boolean keyedReads();

    @WithDefault("http://localhost:8083")
    String samplerUrl();

    @WithDefault("http://localhost:8082")
    String trainerUrl();

    /** How long the sampler may take to answer before the caller gets a 503 (a 64-face grid takes about 50 ms). */
    @WithDefault("15s")
    Duration samplerTimeout();

    /** How long the trainer may take to answer before the caller gets a 503. */
    @WithDefault("5s")
    Duration trainerTimeout();

    /** How long the data-set counts (which list whole buckets) are served from memory before they are counted again. */
    @WithDefault("10s")
    Duration datasetStatsTtl();

    /** How long the listing behind the upload history (newest first) is served from memory. */
    @WithDefault("2s")
    Duration uploadHistoryTtl();

    /**
     * Proxies whose X-Forwarded-For is believed (address blocks, e.g. the ingress controller's pods 10.0.0.0/8): the
     * rate limit keys on the right-most address they forwarded that is not one of them.
     */
    @WithDefault("127.0.0.1/32")
    List<String> trustedProxies();

    /** Sample requests per client and minute. */
    @WithDefault("600")
    int samplesPerMinute();

    Upload upload();

    interface Upload {
        @WithDefault("52428800")
        long maxFileBytes();

        @WithDefault("100")
        int maxFiles();
    }
}
