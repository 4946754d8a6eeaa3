package io.oshigan.sampler.rest;

import io.oshigan.sampler.config.SamplerConfig;
import io.oshigan.sampler.model.NoModelException;
import io.smallrye.faulttolerance.api.RateLimitException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Errors as JSON with a reason: 400 for bad parameters and unknown versions, 429 beyond the on-demand loads, 503 while no model is loaded. */
public class ErrorMappers {
    private final int loadsPerMinute;

    ErrorMappers(SamplerConfig config) {
        this.loadsPerMinute = config.onDemandLoadsPerMinute();
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return json(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response noModel(NoModelException e) {
        return json(e.unknownVersion() ? Response.Status.BAD_REQUEST : Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /** Too many loads of versions that were not loaded (a request may make the sampler download and build one). */
    @ServerExceptionMapper
    public Response tooManyLoads(RateLimitException e) {
        long seconds = Math.max(1, (e.getRetryAfterMillis() + 999) / 1000);
        return Response.status(429).type(MediaType.APPLICATION_JSON).header("Retry-After", seconds)
                .entity(Map.of("error", "too many loads of versions that are not loaded: at most " + loadsPerMinute
                        + " a minute (oshigan.sampler.on-demand-loads-per-minute); retry in " + seconds + " s"))
                .build();
    }

    private static Response json(Response.Status status, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", reason)).build();
    }
}
