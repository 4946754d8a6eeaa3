package io.oshigan.gateway.backend;

import io.vertx.core.buffer.Buffer;

import java.util.Map;

/** A backend's answer, passed through: status, the headers worth keeping, body (Netty's buffer, not copied). */
public record BackendResponse(int status, String contentType, Map<String, String> headers, Buffer body) {
}
