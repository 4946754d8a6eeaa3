package io.oshigan.gateway.security;

import io.oshigan.gateway.config.GatewayConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every write under /api needs an API key (header X-API-Key, or Authorization: Bearer KEY): none is 401, a wrong
 * one 403. An upload key ({@code upload-keys}) is good for {@code POST /api/uploads} only: importing models and
 * controlling training need a full key ({@code api-keys}), else 403. Reads need a key only when {@code keyed-reads}
 * is on (either kind), except the private ones: what people uploaded (the upload history and the uploaded pictures)
 * needs a key of either kind always.
 */
public class ApiKeys {
    private static final String UPLOADS = "/api/uploads";
    private static final String NO_KEY = "this request needs an API key: send it as X-API-Key";
    private static final String NOT_VALID = "the API key is not valid";
    private final List<String> keys;
    private final List<String> uploadKeys;
    private final boolean keyedReads;

    public ApiKeys(GatewayConfig config) {
        this.keys = clean(config.apiKeys());
        this.uploadKeys = clean(config.uploadKeys());
        this.keyedReads = config.keyedReads();
    }

    private static List<String> clean(Optional<List<String>> configured) {
        return configured.orElse(List.of()).stream().map(String::trim).filter(k -> !k.isEmpty()).toList();
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        // every resource is under /api; what a request reaches is its matched method, not its path's spelling
        boolean api = method != null || request.getUriInfo().getPath().startsWith("/api/");
        boolean write = !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD") && !request.getMethod().equals("OPTIONS");
        if (!api || (!write && !keyedReads && !marked(method, PrivateRead.class))) {
            return Optional.empty();
        }
        String given = given(request.getHeaderString("X-API-Key"), request.getHeaderString("Authorization"));
        if (given == null || given.isEmpty()) {
            return Optional.of(error(Response.Status.UNAUTHORIZED, NO_KEY));
        }
        if (matches(keys, given)) {
            return Optional.empty();
        }
        if (matches(uploadKeys, given)) {
            return !write || marked(method, UploadKeyWrite.class) ? Optional.empty() : Optional.of(error(Response.Status.FORBIDDEN,
                    "this key may only upload images (POST " + UPLOADS + "): importing models and controlling training "
                            + "need a full API key"));
        }
        return Optional.of(error(Response.Status.FORBIDDEN, NOT_VALID));
    }

    private static boolean marked(Method method, Class<? extends Annotation> mark) {
        return method != null && (method.isAnnotationPresent(mark) || method.getDeclaringClass().isAnnotationPresent(mark));
    }

    /** A refusal's status and reason, for answers written outside JAX-RS. */
    public record Refusal(int status, String reason) {
    }

    /**
     * Why a request with these headers may not upload (401 without a key, 403 with a wrong one), or empty: for checks
     * made before a body is read ({@code UploadRoom}), with the same answers as {@link #check}.
     */
    public Optional<Refusal> mayNotUpload(String apiKeyHeader, String authorizationHeader) {
        String given = given(apiKeyHeader, authorizationHeader);
        if (given == null || given.isEmpty()) {
            return Optional.of(new Refusal(Response.Status.UNAUTHORIZED.getStatusCode(), NO_KEY));
        }
        return matches(keys, given) || matches(uploadKeys, given) ? Optional.empty()
                : Optional.of(new Refusal(Response.Status.FORBIDDEN.getStatusCode(), NOT_VALID));
    }

    private static String given(String apiKeyHeader, String authorizationHeader) {
        return apiKeyHeader != null ? apiKeyHeader : authorizationHeader != null && authorizationHeader.startsWith("Bearer ")
                ? authorizationHeader.substring(7).trim() : null;
    }

    /** Constant-time comparison against every key: the time taken does not tell how much of a key was right. */
    private static boolean matches(List<String> candidates, String given) {
        byte[] bytes = given.getBytes(StandardCharsets.UTF_8);
        boolean found = false;
        for (String k : candidates) {
            found |= MessageDigest.isEqual(k.getBytes(StandardCharsets.UTF_8), bytes);
        }
        return found;
    }

    static Response error(Response.Status status, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", reason)).build();
    }
}
