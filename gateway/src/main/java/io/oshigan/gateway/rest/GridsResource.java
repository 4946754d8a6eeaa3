package io.oshigan.gateway.rest;

import io.oshigan.gateway.storage.Grids;
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

/** The trainer's progress grids, one per epoch, from the models bucket, one at a time or as one animated GIF. */
@Path("/api/grids")
public class GridsResource {
    private final ObjectStore store;
    private final Grids grids;

    GridsResource(ObjectStore store, Grids grids) {
        this.store = store;
        this.grids = grids;
    }

    @GET
    @Produces("application/json")
    @Operation(summary = "Epochs that have a grid, for a run")
    public Map<String, Object> list(@QueryParam("run") String run) {
        List<Integer> epochs = grids.of(checked(run)).stream().map(Map.Entry::getKey).toList();
        return Map.of("run", run, "epochs", epochs);
    }

    @GET
    @Path("/{run}/{epoch}.png")
    @Produces("image/png")
    @Operation(summary = "The grid of one epoch")
    public Response grid(@PathParam("run") String run, @PathParam("epoch") int epoch) {
        checked(run);
        try {
            return Response.ok(store.get(Bucket.MODELS, ObjectKeys.grid(run, epoch))).type("image/png")
                    .header("Cache-Control", "max-age=86400").build();
        } catch (StorageException e) {
            if (e.isNotFound()) {
                return ErrorMappers.json(404, "run " + run + " has no grid for epoch " + epoch);
            }
            throw e;
        } catch (IllegalArgumentException e) {
            throw new UploadRejectedException(400, e.getMessage());
        }
    }

    @GET
    @Path("/{run}/animation.gif")
    @Produces("image/gif")
    @Operation(summary = "The run's grids as one animated GIF (at most " + Grids.MAX_FRAMES + " epochs, first to last)")
    public Response animation(@PathParam("run") String run) {
        try {
            return grids.animation(checked(run))
                    .map(gif -> Response.ok(gif).type("image/gif").header("Cache-Control", "max-age=60")
                            .header("Content-Disposition", "attachment; filename=\"" + run + "-epochs.gif\"").build())
                    .orElseGet(() -> ErrorMappers.json(404, "run " + run + " has no grids yet"));
        } catch (Grids.BusyException e) {
            return Response.fromResponse(ErrorMappers.json(503, e.getMessage())).header("Retry-After", 5).build();
        }
    }

    private static String checked(String run) {
        try {
            ObjectKeys.runPrefix(run);
            return run;
        } catch (IllegalArgumentException e) {
            throw new UploadRejectedException(400, e.getMessage());
        }
    }
}
