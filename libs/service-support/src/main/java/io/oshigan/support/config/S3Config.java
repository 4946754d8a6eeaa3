package io.oshigan.support.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the S3 server is. Environment: OSHIGAN_S3_ENDPOINT, OSHIGAN_S3_ACCESS_KEY, ... */
@ConfigMapping(prefix = "oshigan.s3")
public interface S3Config {
    @WithDefault("http://localhost:9000")
    String endpoint();

    @WithDefault("oshigan")
    String accessKey();

    @WithDefault("oshigan-secret")
    String secretKey();

    @WithDefault("us-east-1")
    String region();
}
