package io.oshigan.sampler.rest;

import io.oshigan.sampler.config.SamplerConfig;
import io.oshigan.sampler.model.GeneratorVersion;
import io.oshigan.sampler.model.ModelRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.LinkedHashMap;
import java.util.Map;

/** Which generator serves, which are loaded and available, what failed to load. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private final ModelRegistry models;
    private final SamplerConfig config;

    ModelsResource(ModelRegistry models, SamplerConfig config) {
        this.models = models;
        this.config = config;
    }

    @GET
    @Operation(summary = "Serving version, pin, loaded and available versions, recent load failures")
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("current", models.current().map(GeneratorVersion::id).orElse(null));
        status.put("pinned", config.pin().orElse(null));
        status.put("loaded", models.loadedVersions());
        status.put("available", models.availableVersions());
        status.put("failures", models.failures());
        return status;
    }
}
