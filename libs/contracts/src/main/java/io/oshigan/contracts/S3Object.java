package io.oshigan.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The object of an event. {@code key} is URL query-escaped as MinIO sends it ({@code /} as {@code %2F},
 * space as {@code +}); {@link #decodedKey()} gives the real object key.
 * {@code size}, {@code eTag} and {@code contentType} are present for created objects only.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record S3Object(
        String key,
        Long size,
        String eTag,
        String contentType,
        Map<String, String> userMetadata,
        String versionId,
        String sequencer) {

    public static String encodeKey(String objectKey) {
        return URLEncoder.encode(objectKey, StandardCharsets.UTF_8);
    }

    public String decodedKey() {
        return URLDecoder.decode(key, StandardCharsets.UTF_8);
    }

    void check(Checks checks, String path, boolean objectCreated) {
        checks.notBlank(key, path + ".key");
        if (key != null && !key.isBlank()) {
            checks.require(decodes(key), path + ".key", "is not URL-encoded: '" + key + "'");
        }
        if (objectCreated) {
            checks.nonNegative(size, path + ".size");
            checks.notBlank(eTag, path + ".eTag");
        }
    }

    private static boolean decodes(String key) {
        try {
            URLDecoder.decode(key, StandardCharsets.UTF_8);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
