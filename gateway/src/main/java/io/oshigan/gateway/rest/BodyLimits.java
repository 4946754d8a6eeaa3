package io.oshigan.gateway.rest;

import io.oshigan.gateway.config.GatewayConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Map;
import java.util.Optional;

/**
 * The size of a body the gateway proxies ({@link ProxyResource}), checked from its Content-Length before it is read:
 * over its route's limit a 413 that names the limit, and without a length a 411 (a chunked body's size shows only as
 * it is read, into the heap). Uploads are not checked here: they are streamed to disk and checked per file.
 */
public class BodyLimits {
    private final long latents;
    private final long modelImport;
    private final long training;

    BodyLimits(GatewayConfig config) {
        this.latents = config.bodies().latents().asLongValue();
        this.modelImport = config.bodies().modelImport().asLongValue();
        this.training = config.bodies().training().asLongValue();
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        if (!request.getMethod().equals("POST")) {
            return Optional.empty();
        }
        String path = request.getUriInfo().getPath();
        long limit = path.equals("/api/faces/latents") ? latents : path.equals("/api/models/import") ? modelImport
                : path.startsWith("/api/training/") ? training : -1;
        if (limit < 0) {
            return Optional.empty();
        }
        String declared = request.getHeaderString("Content-Length");
        if (declared == null) {
            return request.getHeaderString("Transfer-Encoding") == null ? Optional.empty() // no body at all
                    : error(Response.Status.LENGTH_REQUIRED, "POST " + path + " needs a Content-Length (at most "
                    + limit + " bytes), not a chunked body");
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return error(Response.Status.BAD_REQUEST, "Content-Length is not a number: '" + declared + "'");
        }
        return length <= limit ? Optional.empty() : error(Response.Status.REQUEST_ENTITY_TOO_LARGE, "the body has "
                + length + " bytes; POST " + path + " takes at most " + limit);
    }

    private static Optional<Response> error(Response.Status status, String reason) {
        return Optional.of(Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", reason)).build());
    }
}
