package io.oshigan.storage;

import java.net.URI;

/** Where the S3 server is and how to sign requests to it. */
public record StorageSettings(URI endpoint, String accessKey, String secretKey, String region) {
    public static final String DEFAULT_ENDPOINT = "http://localhost:9000";
    public static final String DEFAULT_ACCESS_KEY = "oshigan";
    public static final String DEFAULT_SECRET_KEY = "oshigan-secret";
    public static final String DEFAULT_REGION = "us-east-1";

    public StorageSettings {
        if (endpoint == null || endpoint.getHost() == null) {
            throw new IllegalArgumentException("S3 endpoint must be an absolute URL such as " + DEFAULT_ENDPOINT
                    + " but is '" + endpoint + "'");
        }
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("S3 access key and secret key must both be set");
        }
    }

    public static StorageSettings localDefaults() {
        return new StorageSettings(URI.create(DEFAULT_ENDPOINT), DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, DEFAULT_REGION);
    }

    @Override
    public String toString() {
        return "StorageSettings[endpoint=" + endpoint + ", accessKey=" + accessKey + ", region=" + region + "]";
    }
}
