package io.oshigan.sampler.rest;

import io.oshigan.sampler.config.SamplerConfig;
import io.oshigan.sampler.model.CheckpointHistory;
import io.oshigan.sampler.model.GeneratorVersion;
import io.oshigan.sampler.model.ModelRegistry;
import io.oshigan.dcgan.pytorch.PyTorchImportException;
import io.oshigan.sampler.model.ReferenceImport;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which generator serves, which are loaded and available, what failed to load. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private static final Duration AVAILABLE_TTL = Duration.ofSeconds(2);
    static final int MAX_CHECKPOINTS = 50;
    private final ModelRegistry models;
    private final SamplerConfig config;
    private final ReferenceImport importer;
    /** Listing the models bucket is the one expensive part of the status: shared by every caller for 2 s. */
    private final LoadingCache<String, List<String>> available;
    /** The newest checkpoints with their losses, as long as the status, for every caller. */
    private final LoadingCache<String, List<CheckpointHistory.Checkpoint>> newest;

    ModelsResource(ModelRegistry models, SamplerConfig config, ReferenceImport importer, CheckpointHistory history) {
        this.models = models;
        this.config = config;
        this.importer = importer;
        this.available = Caffeine.newBuilder().expireAfterWrite(AVAILABLE_TTL).maximumSize(1)
                .build(key -> List.copyOf(models.availableVersions()));
        this.newest = Caffeine.newBuilder().expireAfterWrite(AVAILABLE_TTL).maximumSize(1)
                .build(key -> history.newest(MAX_CHECKPOINTS));
    }

    @GET
    @Path("/checkpoints")
    @Operation(summary = "The newest stored checkpoints, newest first: version, epoch, step, losses, data set, precision")
    public Map<String, Object> checkpoints(@QueryParam("limit") @DefaultValue("20") int limit) {
        if (limit < 1 || limit > MAX_CHECKPOINTS) {
            throw new BadRequestException("limit must be 1.." + MAX_CHECKPOINTS + " but is " + limit);
        }
        List<CheckpointHistory.Checkpoint> all = newest.get("all");
        return Map.of("current", models.current().map(GeneratorVersion::id).orElse(""),
                "checkpoints", all.subList(0, Math.min(limit, all.size())));
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Import model_G_<n>.pth of the reference PyTorch script as a new version of run import-<run>")
    public Response importReference(@QueryParam("run") @DefaultValue("reference") String name, byte[] body) throws IOException {
        String run;
        try {
            run = io.oshigan.storage.ObjectKeys.importRun(name);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        if (body == null || body.length == 0) {
            throw new BadRequestException("the body must be a model_G_<n>.pth file (application/octet-stream)");
        }
        try {
            String version = importer.importPth(run, new ByteArrayInputStream(body));
            return Response.status(Response.Status.CREATED).entity(java.util.Map.of("version", version)).build();
        } catch (PyTorchImportException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    @GET
    @Operation(summary = "Serving version, pin, loaded and available versions (at most 2 s old), recent load failures")
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("current", models.current().map(GeneratorVersion::id).orElse(null));
        status.put("pinned", config.pin().orElse(null));
        status.put("loaded", models.loadedVersions());
        status.put("available", available.get("all"));
        status.put("failures", models.failures());
        return status;
    }
}
