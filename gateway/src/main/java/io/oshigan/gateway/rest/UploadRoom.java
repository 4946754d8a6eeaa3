package io.oshigan.gateway.rest;

import io.oshigan.gateway.config.GatewayConfig;
import io.oshigan.gateway.security.ApiKeys;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Disk for uploads being received. A multipart body is written to the uploads directory as it arrives, before any
 * resource or JAX-RS filter sees it (the API key too is checked after), up to {@code quarkus.http.limits.max-body-size}
 * each; in the pod that directory is an emptyDir whose size limit, once passed, evicts the pod. So the declared lengths
 * of the multipart bodies being received are held together to {@code upload.receiving} (1536M): one that does not fit
 * is a 503 with Retry-After before a byte of it is written, one that never could (over the room or max-body-size) a
 * 413, one without a Content-Length a 411, one without a key that may upload a 401 or 403 (the answers of
 * {@link ApiKeys}): a keyless client holds no room. A Vert.x filter, run before the body is read; it counts every
 * multipart POST, whatever its path's spelling. While the room turns uploads away, a body must keep coming to keep
 * its room: it has {@code upload.receive-grace} (30s), and a second more for every {@code upload.min-receive-rate} (16K)
 * bytes that came; one behind that is cut off with a 408 (HTTP/1.1: and its connection closed; HTTP/2: its stream
 * reset), as Apache's mod_reqtimeout cuts a body: a client that declares a large body and sends it a byte at a time
 * no longer holds the room until the connection's idle timeout. While no one is turned away a slow upload goes on.
 */
@ApplicationScoped
public class UploadRoom {
    static final int RETRY_AFTER_SECONDS = 5;
    /** The room is under pressure this long after it turned an upload away: twice the retry its answer asked for. */
    private static final long PRESSURE_NANOS = 2L * RETRY_AFTER_SECONDS * 1_000_000_000L;
    private final long capacity;
    /** The largest body that could ever be received: the room, or max-body-size if smaller. */
    private final long largest;
    private final ApiKeys keys;
    private final AtomicLong receiving = new AtomicLong();
    private final long graceNanos;
    private final long minBytesPerSecond;
    /** When the room last turned an upload away for want of room (System.nanoTime). */
    private volatile long turnedAwayAt = System.nanoTime() - 2 * PRESSURE_NANOS;

    UploadRoom(GatewayConfig config,
               @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this.capacity = config.upload().receiving().asLongValue();
        this.largest = Math.min(capacity, maxBody.asLongValue());
        this.keys = new ApiKeys(config);
        this.graceNanos = config.upload().receiveGrace().toNanos();
        this.minBytesPerSecond = Math.max(1, config.upload().minReceiveRate().asLongValue());
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
        var keyless = keys.mayNotUpload(context.request().getHeader("X-API-Key"), context.request().getHeader("Authorization"));
        if (keyless.isPresent()) {
            refuse(context, keyless.get().status(), keyless.get().reason());
            return;
        }
        if (length > largest) {
            refuse(context, 413, "the body has " + length + " bytes; an upload takes at most " + largest);
            return;
        }
        if (!reserve(length)) {
            turnedAwayAt = System.nanoTime();
            context.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
            refuse(context, 503, "the gateway is receiving as many uploads as its disk holds (" + capacity
                    + " bytes); try again in a few seconds");
            return;
        }
        long reserved = length;
        long watch = watchRate(context);
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        context.addEndHandler(done -> { // answered, failed or cut off; once
            if (released.compareAndSet(false, true)) {
                context.vertx().cancelTimer(watch);
                receiving.addAndGet(-reserved);
            }
        });
        context.next();
    }

    /**
     * Checks every second, until the body has come, that it comes in time (the grace, and a second more per
     * min-receive-rate bytes) while the room turns uploads away; one behind is answered 408 and cut off: its end gives
     * the room back. On the request's event loop, as its end handler.
     */
    private long watchRate(RoutingContext context) {
        long started = System.nanoTime();
        return context.vertx().setPeriodic(1000, timer -> {
            var request = context.request();
            if (request.isEnded() || context.response().ended()) {
                context.vertx().cancelTimer(timer);
                return;
            }
            long now = System.nanoTime();
            double allowedSeconds = graceNanos / 1e9 + request.bytesRead() / (double) minBytesPerSecond;
            if (now - turnedAwayAt > PRESSURE_NANOS || (now - started) / 1e9 <= allowedSeconds) {
                return;
            }
            context.vertx().cancelTimer(timer);
            if (!context.response().headWritten()) { // a handler past this filter may have begun to answer
                refuse(context, 408, "the upload came too slowly while others waited for room: " + request.bytesRead()
                        + " bytes in " + (now - started) / 1_000_000_000L + " s; an upload must keep up "
                        + minBytesPerSecond + " bytes a second after its first " + graceNanos / 1_000_000_000L + " s");
            }
            if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
                context.response().reset(); // the stream alone: the connection's other streams go on
            } else {
                request.connection().close();
            }
        });
    }

    private boolean reserve(long length) {
        while (true) {
            long now = receiving.get();
            if (length > capacity - now) { // not now + length: a length near Long.MAX_VALUE would wrap
                return false;
            }
            if (receiving.compareAndSet(now, now + length)) {
                return true;
            }
        }
    }

    private static void refuse(RoutingContext context, int status, String reason) {
        // the body is not read: over HTTP/1.1 the connection is closed after the answer, so that its bytes are not taken
        // for a request (HTTP/2 forbids the header: the stream alone ends)
        if (context.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", reason).encode());
    }
}
