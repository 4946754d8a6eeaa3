package io.oshigan.sampler.health;

import io.oshigan.sampler.model.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready to serve faces only with a generator loaded; liveness does not depend on it. */
@Readiness
@ApplicationScoped
public class GeneratorReadinessCheck implements HealthCheck {
    private final ModelRegistry models;

    GeneratorReadinessCheck(ModelRegistry models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        return models.current()
                .map(v -> HealthCheckResponse.named("generator").up().withData("version", v.id()).build())
                .orElseGet(() -> HealthCheckResponse.named("generator").down()
                        .withData("reason", "no model: no complete checkpoint has been loaded yet").build());
    }
}
