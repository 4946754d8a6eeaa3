package io.oshigan.support.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the S3 server is and how to sign in. Environment: OSHIGAN_S3_ENDPOINT, OSHIGAN_S3_ACCESS_KEY, ...
 * The keys have no default: outside the dev and test profiles (whose defaults are in this library's
 * microprofile-config.properties) a service without them does not start, and {@link CredentialsCheck} refuses
 * placeholders and short secrets.
 */
@ConfigMapping(prefix = "oshigan.s3")
public interface S3Config {
    @WithDefault("http://localhost:9000")
    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("us-east-1")
    String region();
}
