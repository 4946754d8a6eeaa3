package io.oshigan.sampler.rest;

import io.oshigan.sampler.model.NoModelException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Errors as JSON with a reason: 400 for bad parameters and unknown versions, 503 while no model is loaded. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return json(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response noModel(NoModelException e) {
        return json(e.unknownVersion() ? Response.Status.BAD_REQUEST : Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    private static Response json(Response.Status status, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", reason)).build();
    }
}
