package io.oshigan.support.rest;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * A number parameter that is not one ({@code ?n=abc}, {@code ?page=x}, a seed past a long), in every service: JAX-RS
 * answers a query or path parameter it cannot convert with a bare 404, as if the route were not there; here it is a
 * 400 that says what was wrong, as JSON like the services' other errors. Every other 404 stays as it was.
 */
public class ParameterErrors {

    @ServerExceptionMapper
    public Response notANumber(NotFoundException e) {
        if (e.getCause() instanceof NumberFormatException notANumber) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON).entity(Map.of("error",
                    "a parameter that must be a whole number is not one: " + notANumber.getMessage())).build();
        }
        return e.getResponse();
    }
}
