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
        List<String> all = new java.util.ArrayList<>(config.apiKeys().orElse(List.of()));
        all.addAll(config.uploadKeys().orElse(List.of()));
        for (String key : all) {
            if (!key.isBlank()) {
                CredentialsCheck.requireReal("oshigan.gateway.api-keys", key.trim(),
                        "OSHIGAN_GATEWAY_API_KEYS (in Kubernetes, the secret from gateway-keys.env)", MIN_KEY_LENGTH);
            }
        }
    }
}
