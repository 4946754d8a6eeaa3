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

    /**
     * What the proxied routes take, checked from Content-Length before a byte is read: the gateway holds such a body
     * in its heap (twice while it is sent on), so the server's own limit, sized for uploads, which go to disk, is far
     * too much for them.
     */
    Bodies bodies();

    interface Bodies {
        /** POST /api/faces/latents: 64 vectors of 1024 numbers written out in full are under 2 MB. */
        @WithDefault("4M")
        io.quarkus.runtime.configuration.MemorySize latents();

        /** POST /api/models/import: the sampler's own limit (oshigan.sampler.import-max-size). */
        @WithDefault("64M")
        io.quarkus.runtime.configuration.MemorySize modelImport();

        /** POST /api/training/...: run settings. */
        @WithDefault("64K")
        io.quarkus.runtime.configuration.MemorySize training();
    }

    interface Upload {
        @WithDefault("52428800")
        long maxFileBytes();

        @WithDefault("100")
        int maxFiles();

        /** Multipart bodies being received at once, by their declared lengths (UploadRoom): under the pod's 2Gi tmp. */
        @WithDefault("1536M")
        io.quarkus.runtime.configuration.MemorySize receiving();

        /**
         * How long an upload's body may take before it must keep up {@link #minReceiveRate} while the room turns
         * uploads away (UploadRoom): it has this long, and a second more for every that many bytes that came, as
         * Apache's mod_reqtimeout gives a body.
         */
        @WithDefault("30s")
        java.time.Duration receiveGrace();

        /** Bytes a second an upload's body must come at, past {@link #receiveGrace}, to keep its room. */
        @WithDefault("16K")
        io.quarkus.runtime.configuration.MemorySize minReceiveRate();
    }
}
