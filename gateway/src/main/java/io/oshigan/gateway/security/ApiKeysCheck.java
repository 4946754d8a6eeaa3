package io.oshigan.gateway.security;

import io.oshigan.gateway.config.GatewayConfig;
import io.oshigan.support.config.CredentialsCheck;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The gateway does not start with an API key left as the template's placeholder, or one shorter than 8 characters. */
@Startup
@ApplicationScoped
public class ApiKeysCheck {
    public static final int MIN_KEY_LENGTH = 8;

    ApiKeysCheck(GatewayConfig config) {
        check("api-keys", config.apiKeys());
        check("upload-keys", config.uploadKeys());
    }

    private static void check(String name, java.util.Optional<List<String>> keys) {
        for (String key : keys.orElse(List.of())) {
            if (!key.isBlank()) {
                CredentialsCheck.requireReal("oshigan.gateway." + name, key.trim(), "OSHIGAN_GATEWAY_"
                        + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_')
                        + " (in Kubernetes, the secret from gateway-keys.env)", MIN_KEY_LENGTH);
            }
        }
    }
}
