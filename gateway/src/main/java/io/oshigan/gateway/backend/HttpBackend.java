package io.oshigan.gateway.backend;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Forwards a request to one backend service and brings its answer back unchanged. Non-blocking (Vert.x web client
 * over pooled HTTP/1.1 keep-alive connections): a proxied request holds no thread while the backend works.
 */
public final class HttpBackend {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(HttpBackend.class);
    static final List<String> PASSED_HEADERS = List.of("X-Model-Version", "X-Seed", "Retry-After");
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int MAX_CONNECTIONS = 64;

    private final String name;
    private final String baseUrl;
    private final String host;
    private final int port;
    private final String basePath;
    private final Duration timeout;
    private final WebClient client;

    public HttpBackend(Vertx vertx, String name, String baseUrl, Duration timeout) {
        this.name = name;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        URI uri = URI.create(this.baseUrl);
        boolean https = "https".equals(uri.getScheme());
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        this.basePath = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setKeepAlive(true).setMaxPoolSize(MAX_CONNECTIONS).setSsl(https)
                .setUserAgent("oshigan-gateway").setFollowRedirects(false));
    }

    public Uni<BackendResponse> send(String method, String pathAndQuery, byte[] body, String contentType) {
        // host and port parsed once: requestAbs would parse the URL on every call
        HttpRequest<Buffer> request = client.request(HttpMethod.valueOf(method), port, host, basePath + pathAndQuery)
                .timeout(timeout.toMillis());
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        Uni<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
        // the client's timeout is an idle one, restarted by every byte that comes: the deadline bounds the whole answer
        return sent.ifNoItem().after(timeout).failWith(TimeoutException::new).onItem().transform(this::answer)
                .onFailure(e -> !(e instanceof BackendUnavailableException)).transform(this::unavailable);
    }

    private BackendResponse answer(HttpResponse<Buffer> response) {
        if (response.statusCode() >= 500 && response.statusCode() != 503) {
            throw new BackendUnavailableException(name + " failed with HTTP " + response.statusCode(), null);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : PASSED_HEADERS) {
            String value = response.getHeader(header);
            if (value != null) {
                headers.put(header, value);
            }
        }
        Buffer body = response.body();
        return new BackendResponse(response.statusCode(), response.getHeader("Content-Type"), headers,
                body == null ? io.vertx.core.buffer.Buffer.buffer() : body.getDelegate());
    }

    private BackendUnavailableException unavailable(Throwable failure) {
        if (failure instanceof TimeoutException || failure instanceof io.netty.handler.timeout.TimeoutException) {
            return new BackendUnavailableException(name + " did not answer within " + timeout.toMillis() + " ms", failure);
        }
        // the client is told what failed, not where the backend lives or what the socket said: that goes to the log
        LOG.warnf("%s is unreachable at %s: %s", name, baseUrl, failure);
        return new BackendUnavailableException(name + " is unreachable", failure);
    }

    public void close() {
        client.close();
    }
}
