package io.oshigan.gateway.rest;

import io.oshigan.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Map;
import java.util.Optional;

/**
 * The size of a body the gateway proxies ({@link ProxyResource}), checked from its Content-Length before it is read:
 * over its route's limit a 413 that names the limit, and without a length a 411 (a chunked or HTTP/2 body's size shows
 * only as it is read, into the heap). The route is the matched resource method's ({@link LimitedBody}), whatever the
 * path's spelling (a trailing slash, a matrix parameter); the length is binding, as HTTP/1.1 framing and HTTP/2's
 * content-length check enforce it. Uploads are not checked here: they are streamed to disk and checked per file.
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
    public Optional<Response> check(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        LimitedBody limited = resource.getResourceMethod() == null ? null
                : resource.getResourceMethod().getAnnotation(LimitedBody.class);
        if (limited == null) {
            return Optional.empty();
        }
        long limit = switch (limited.value()) {
            case LATENTS -> latents;
            case MODEL_IMPORT -> modelImport;
            case TRAINING -> training;
        };
        String path = request.getUriInfo().getPath();
        String declared = request.getHeaderString("Content-Length");
        if (declared == null) {
            // HTTP/1.1 without a length or chunking has no body; over HTTP/2 whether DATA frames follow is not known
            // yet when the headers are (a bodiless HTTP/2 POST sends content-length: 0)
            boolean bodyMayFollow = request.getHeaderString("Transfer-Encoding") != null
                    || http.version() == HttpVersion.HTTP_2 && !http.isEnded();
            return !bodyMayFollow ? Optional.empty() : error(Response.Status.LENGTH_REQUIRED, "POST " + path
                    + " needs a Content-Length (at most " + limit + " bytes; 0 for no body), not a chunked or unsized body");
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
