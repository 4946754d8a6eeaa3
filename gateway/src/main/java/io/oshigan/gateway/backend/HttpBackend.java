package io.oshigan.gateway.backend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Forwards a request to one backend service and brings its answer back unchanged. */
public final class HttpBackend {
    static final List<String> PASSED_HEADERS = List.of("X-Model-Version", "X-Seed", "Retry-After");

    private final String name;
    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient client;

    public HttpBackend(String name, String baseUrl, Duration timeout) {
        this.name = name;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    public BackendResponse send(String method, String pathAndQuery, byte[] body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header : PASSED_HEADERS) {
                response.headers().firstValue(header).ifPresent(v -> headers.put(header, v));
            }
            if (response.statusCode() >= 500 && response.statusCode() != 503) {
                throw new BackendUnavailableException(name + " failed with HTTP " + response.statusCode(), null);
            }
            return new BackendResponse(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    headers, response.body());
        } catch (HttpTimeoutException e) {
            throw new BackendUnavailableException(name + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new BackendUnavailableException(name + " is unreachable at " + baseUrl + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while calling " + name, e);
        }
    }
}
