package io.oshigan.gateway.backend;

import java.util.Map;

/** A backend's answer, passed through: status, the headers worth keeping, body. */
public record BackendResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
}
