package io.oshigan.gateway.rest;

import io.oshigan.gateway.config.GatewayConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Disk for uploads being received. A multipart body is written to the uploads directory as it arrives, before any
 * resource or JAX-RS filter sees it (the API key too is checked after), up to {@code quarkus.http.limits.max-body-size}
 * each; in the pod that directory is an emptyDir whose size limit, once passed, evicts the pod. So the declared lengths
 * of the multipart bodies being received are held together to {@code upload.receiving} (1536M): one that does not fit
 * is a 503 with Retry-After before a byte of it is written, one without a Content-Length a 411. A Vert.x filter, run
 * before the body is read; it counts every multipart POST, whatever its path's spelling.
 */
@ApplicationScoped
public class UploadRoom {
    static final int RETRY_AFTER_SECONDS = 5;
    private final long capacity;
    private final AtomicLong receiving = new AtomicLong();

    UploadRoom(GatewayConfig config) {
        this.capacity = config.upload().receiving().asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::admit, 50);
    }

    /** Bytes of multipart bodies being received now (declared). */
    public long receiving() {
        return receiving.get();
    }

    void admit(RoutingContext context) {
        String type = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (context.request().method() != HttpMethod.POST || type == null
                || !type.regionMatches(true, 0, "multipart/", 0, "multipart/".length())) {
            context.next();
            return;
        }
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0) {
            refuse(context, 411, "an upload needs a Content-Length (browsers and curl send one), not a chunked body");
            return;
        }
        if (!reserve(length)) {
            context.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
            refuse(context, 503, "the gateway is receiving as many uploads as its disk holds (" + capacity
                    + " bytes); try again in a few seconds");
            return;
        }
        long reserved = length;
        context.addEndHandler(done -> receiving.addAndGet(-reserved)); // answered, failed or cut off
        context.next();
    }

    private boolean reserve(long length) {
        while (true) {
            long now = receiving.get();
            if (now + length > capacity) {
                return false;
            }
            if (receiving.compareAndSet(now, now + length)) {
                return true;
            }
        }
    }

    private static void refuse(RoutingContext context, int status, String reason) {
        // the body is not read: the connection is closed after the answer, so that its bytes are not taken for a request
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close").end(new JsonObject().put("error", reason).encode());
    }
}
