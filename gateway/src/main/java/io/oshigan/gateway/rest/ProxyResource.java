package io.oshigan.gateway.rest;

import io.oshigan.gateway.backend.BackendResponse;
import io.oshigan.gateway.backend.Backends;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Samples, models and training through one door: requests pass to the sampler and the trainer unchanged (their
 * headers such as X-Model-Version and X-Seed come back), behind timeouts and circuit breakers. Only the backends'
 * public routes are proxied: a path parameter must name one ({@code ..%2F..%2Fq%2Fmetrics} is a 404 here, it never
 * reaches a backend's management endpoints).
 */
@Path("/api")
public class ProxyResource {
    private final Backends.Sampler sampler;
    private final Backends.Trainer trainer;

    ProxyResource(Backends.Sampler sampler, Backends.Trainer trainer) {
        this.sampler = sampler;
        this.trainer = trainer;
    }

    @GET
    @Path("/faces/{path: -?[0-9]{1,19}|grid|interpolate}")
    @Operation(summary = "Faces from the sampler: /api/faces/{seed}, /grid, /interpolate (see the sampler's parameters)")
    public Uni<Response> faces(@PathParam("path") String path, @Context UriInfo uri) {
        return sampler.send("GET", "/api/v1/faces/" + path + query(uri), null, null).map(ProxyResource::pass);
    }

    @POST
    @Path("/faces/latents")
    @Consumes("*/*")
    @LimitedBody(LimitedBody.Route.LATENTS)
    @Operation(summary = "Faces for explicit latent vectors")
    public Uni<Response> latents(byte[] body, @Context HttpHeaders headers) {
        return sampler.send("POST", "/api/v1/faces/latents", body, headers.getHeaderString("Content-Type")).map(ProxyResource::pass);
    }

    @GET
    @Path("/models")
    @Operation(summary = "Generator versions: serving, loaded, available, failed loads")
    public Uni<Response> models() {
        return sampler.send("GET", "/api/v1/models", null, null).map(ProxyResource::pass);
    }

    @GET
    @Path("/models/checkpoints")
    @Operation(summary = "Stored checkpoints, newest first, with their epoch, step and losses")
    public Uni<Response> checkpoints(@Context UriInfo uri) {
        return sampler.send("GET", "/api/v1/models/checkpoints" + query(uri), null, null).map(ProxyResource::pass);
    }

    @POST
    @Path("/models/import")
    @Consumes("*/*")
    @LimitedBody(LimitedBody.Route.MODEL_IMPORT)
    @Operation(summary = "Import a reference model_G_<n>.pth (API key needed)")
    public Uni<Response> importModel(byte[] body, @Context UriInfo uri) {
        return sampler.send("POST", "/api/v1/models/import" + query(uri), body, "application/octet-stream").map(ProxyResource::pass);
    }

    @GET
    @Path("/training/{path: status|losses|runs}")
    @Operation(summary = "Training status, losses, runs (from the trainer)")
    public Uni<Response> training(@PathParam("path") String path, @Context UriInfo uri) {
        return trainer.send("GET", "/api/v1/trainer/" + path + query(uri), null, null).map(ProxyResource::pass);
    }

    @POST
    @Path("/training/{path: pause|resume|runs}")
    @Consumes("*/*")
    @LimitedBody(LimitedBody.Route.TRAINING)
    @Operation(summary = "Training control: pause, resume, runs (API key needed)")
    public Uni<Response> control(@PathParam("path") String path, byte[] body, @Context HttpHeaders headers) {
        return trainer.send("POST", "/api/v1/trainer/" + path, body == null || body.length == 0 ? null : body,
                headers.getHeaderString("Content-Type")).map(ProxyResource::pass);
    }

    private static String query(UriInfo uri) {
        String raw = uri.getRequestUri().getRawQuery();
        return raw == null ? "" : "?" + raw;
    }

    static Response pass(BackendResponse answer) {
        Response.ResponseBuilder response = Response.status(answer.status()).entity(answer.body());
        if (answer.contentType() != null) {
            response.type(answer.contentType());
        }
        answer.headers().forEach(response::header);
        return response.build();
    }
}
