package io.oshigan.trainer.rest;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;
import java.util.TreeSet;

/**
 * A run's settings with a name the trainer does not know (quarkus.jackson.fail-on-unknown-properties): a 400 that
 * names it and the settings there are, rather than a run trained with the default in its place for good.
 */
public class SettingsErrors {

    @ServerExceptionMapper
    public Response unknown(UnrecognizedPropertyException e) {
        TreeSet<String> known = new TreeSet<>();
        e.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "unknown setting '" + e.getPropertyName() + "'; the settings are " + known))
                .build();
    }
}
