package io.oshigan.gateway.rest;

import io.oshigan.gateway.backend.Backends;
import io.smallrye.mutiny.Multi;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Server-sent events: the trainer's status every two seconds, so the page updates without reloading. */
@Path("/api/events")
@jakarta.inject.Singleton
public class EventsResource {
    static final Duration PERIOD = Duration.ofSeconds(2);
    /** Until the service begins to stop: then the streams end (the page reconnects elsewhere), not hold it up. */
    private volatile boolean open = true;
    private final Backends.Trainer trainer;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    EventsResource(Backends.Trainer trainer, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.trainer = trainer;
        this.json = json;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Training status as server-sent events")
    public Multi<String> events() {
        return polled(PERIOD, this::status, () -> open);
    }

    /**
     * The shutdown's delay began (quarkus.shutdown.delay): every stream ends at its next tick. A stream never ends by
     * itself, and the graceful shutdown waits for requests under way, so an open page held every stop for the whole
     * quarkus.shutdown.timeout.
     */
    void closing(@Observes ShutdownDelayInitiatedEvent event) {
        open = false;
    }

    /**
     * {@code status} every {@code period}, one call at a time, while {@code open}: a tick that comes while a call is
     * still out is dropped (a backend slower than the period used to end the stream: Mutiny fails ticks nobody asked
     * for); the first tick after {@code open} turns false ends the stream.
     */
    static Multi<String> polled(Duration period, java.util.function.Supplier<Uni<String>> status,
                                java.util.function.BooleanSupplier open) {
        return Multi.createFrom().ticks().every(period).onOverflow().drop()
                .select().first(tick -> open.getAsBoolean())
                .onItem().transformToUniAndConcatenate(tick -> status.get());
    }

    private Uni<String> status() {
        return trainer.send("GET", "/api/v1/trainer/status", null, null)
                .map(answer -> answer.body().toString(StandardCharsets.UTF_8))
                .onFailure().recoverWithItem(e -> unavailable(String.valueOf(e.getMessage())));
    }

    /** Built by the JSON library: a message with quotes, backslashes or control characters stays valid JSON. */
    private String unavailable(String message) {
        try {
            return json.writeValueAsString(java.util.Map.of("state", "UNAVAILABLE", "message", message));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "{\"state\":\"UNAVAILABLE\"}";
        }
    }
}
