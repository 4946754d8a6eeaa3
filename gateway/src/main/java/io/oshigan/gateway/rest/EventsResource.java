package io.oshigan.gateway.rest;

import io.oshigan.gateway.backend.BackendUnavailableException;
import io.oshigan.gateway.backend.Backends;
import io.smallrye.mutiny.Multi;
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
public class EventsResource {
    private final Backends.Trainer trainer;

    EventsResource(Backends.Trainer trainer) {
        this.trainer = trainer;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Training status as server-sent events")
    public Multi<String> events() {
        return Multi.createFrom().ticks().every(Duration.ofSeconds(2))
                .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .map(tick -> status());
    }

    private String status() {
        try {
            return new String(trainer.send("GET", "/api/v1/trainer/status", null, null).body(), StandardCharsets.UTF_8);
        } catch (BackendUnavailableException | org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException e) {
            return "{\"state\":\"UNAVAILABLE\",\"message\":\"" + e.getMessage().replace("\"", "'") + "\"}";
        }
    }
}
