package io.oshigan.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** The {@code s3} part of an event record: which bucket and which object. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record S3Entity(String s3SchemaVersion, String configurationId, Bucket bucket, S3Object object) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bucket(String name, Map<String, String> ownerIdentity, String arn) {
    }

    void check(Checks checks, String path, boolean objectCreated) {
        if (bucket == null) {
            checks.notNull(null, path + ".bucket");
        } else {
            checks.notBlank(bucket.name(), path + ".bucket.name");
        }
        if (object == null) {
            checks.notNull(null, path + ".object");
        } else {
            object.check(checks, path + ".object", objectCreated);
        }
    }
}
