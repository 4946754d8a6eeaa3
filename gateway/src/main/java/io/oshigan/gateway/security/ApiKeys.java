package io.oshigan.gateway.security;

import io.oshigan.gateway.config.GatewayConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every write under /api needs an API key (header X-API-Key, or Authorization: Bearer KEY): none is 401, a wrong
 * one 403. Reads need one only when {@code keyed-reads} is on.
 */
public class ApiKeys {
    private final List<String> keys;
    private final boolean keyedReads;

    ApiKeys(GatewayConfig config) {
        this.keys = config.apiKeys().orElse(List.of()).stream().map(String::trim).filter(k -> !k.isEmpty()).toList();
        this.keyedReads = config.keyedReads();
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        boolean write = !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD") && !request.getMethod().equals("OPTIONS");
        if (!path.startsWith("/api/") || (!write && !keyedReads)) {
            return Optional.empty();
        }
        String given = Optional.ofNullable(request.getHeaderString("X-API-Key")).orElseGet(() -> {
            String auth = request.getHeaderString("Authorization");
            return auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
        });
        if (given == null || given.isEmpty()) {
            return Optional.of(error(Response.Status.UNAUTHORIZED, "this request needs an API key: send it as X-API-Key"));
        }
        if (keys.stream().noneMatch(k -> MessageDigest.isEqual(k.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8)))) {
            return Optional.of(error(Response.Status.FORBIDDEN, "the API key is not valid"));
        }
        return Optional.empty();
    }

    static Response error(Response.Status status, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", reason)).build();
    }
}
