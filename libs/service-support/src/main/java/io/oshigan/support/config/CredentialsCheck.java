package io.oshigan.support.config;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/**
 * Refuses to start with credentials that cannot be meant: a placeholder left from a template ({@code REPLACE_ME},
 * {@code changeme}) or a secret shorter than {@value #MIN_SECRET_LENGTH} characters (MinIO's own minimum). A service
 * that started anyway would sign every request with them and fail, or worse, succeed against a careless server.
 */
@Startup
@ApplicationScoped
public class CredentialsCheck {
    public static final int MIN_SECRET_LENGTH = 8;

    CredentialsCheck(S3Config config) {
        check(config.accessKey(), config.secretKey());
    }

    public static void check(String accessKey, String secretKey) {
        requireReal("oshigan.s3.access-key", accessKey, "OSHIGAN_S3_ACCESS_KEY (in Kubernetes, the secret oshigan-minio)", 1);
        requireReal("oshigan.s3.secret-key", secretKey, "OSHIGAN_S3_SECRET_KEY (in Kubernetes, the secret oshigan-minio)",
                MIN_SECRET_LENGTH);
    }

    /** Refuses a template's placeholder or a value shorter than {@code minLength}, naming what to set. */
    public static void requireReal(String key, String value, String setting, int minLength) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.contains("replace_me") || lower.contains("replace-me") || lower.contains("changeme")) {
            throw new IllegalStateException(key + " is still the template's placeholder '" + value + "': set " + setting
                    + " to the real value");
        }
        if (value.length() < minLength) {
            throw new IllegalStateException(key + " has " + value.length() + " characters; at least " + minLength
                    + " are needed: set " + setting);
        }
    }
}
