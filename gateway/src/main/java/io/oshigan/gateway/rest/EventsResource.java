package io.oshigan.gateway.rest;

import io.oshigan.gateway.backend.Backends;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
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
        return Multi.createFrom().ticks().every(Duration.ofSeconds(2)).onItem().transformToUniAndConcatenate(tick -> status());
    }

    private Uni<String> status() {
        return trainer.send("GET", "/api/v1/trainer/status", null, null)
                .map(answer -> answer.body().toString(StandardCharsets.UTF_8))
                .onFailure().recoverWithItem(e -> "{\"state\":\"UNAVAILABLE\",\"message\":\""
                        + String.valueOf(e.getMessage()).replace("\"", "'") + "\"}");
    }
}
