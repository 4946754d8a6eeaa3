package io.oshigan.gateway.rest;

import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StorageException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.Map;

/** The trainer's progress grids, one per epoch, from the models bucket. */
@Path("/api/grids")
public class GridsResource {
    private final ObjectStore store;

    GridsResource(ObjectStore store) {
        this.store = store;
    }

    @GET
    @Produces("application/json")
    @Operation(summary = "Epochs that have a grid, for a run")
    public Map<String, Object> list(@QueryParam("run") String run) {
        String prefix = prefix(run);
        List<Integer> epochs = store.list(Bucket.MODELS, prefix).stream()
                .map(o -> o.key().substring(prefix.length()))
                .filter(n -> n.matches("epoch-\\d+\\.png"))
                .map(n -> Integer.parseInt(n.substring(6, n.length() - 4)))
                .sorted().toList();
        return Map.of("run", run, "epochs", epochs);
    }

    @GET
    @Path("/{run}/{epoch}.png")
    @Produces("image/png")
    @Operation(summary = "The grid of one epoch")
    public Response grid(@PathParam("run") String run, @PathParam("epoch") int epoch) {
        prefix(run);
        try {
            return Response.ok(store.get(Bucket.MODELS, ObjectKeys.grid(run, epoch))).type("image/png")
                    .header("Cache-Control", "max-age=86400").build();
        } catch (StorageException e) {
            if (e.isNotFound()) {
                return ErrorMappers.json(404, "run " + run + " has no grid for epoch " + epoch);
            }
            throw e;
        }
    }

    private static String prefix(String run) {
        try {
            return ObjectKeys.runPrefix(run) + "grids/";
        } catch (IllegalArgumentException e) {
            throw new UploadRejectedException(400, e.getMessage());
        }
    }
}
