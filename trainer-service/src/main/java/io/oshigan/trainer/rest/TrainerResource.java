package io.oshigan.trainer.rest;

import io.oshigan.trainer.config.TrainerConfig;
import io.oshigan.trainer.domain.RunParameters;
import io.oshigan.trainer.domain.RunSettings;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.trainer.training.LossHistory;
import io.oshigan.trainer.training.TrainerService;
import io.oshigan.trainer.training.TrainerStatus;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Control of the trainer: status, loss history, pause and resume, runs. */
@Path("/api/v1/trainer")
@Produces(MediaType.APPLICATION_JSON)
public class TrainerResource {
    private final TrainerService trainer;
    private final CheckpointStore models;
    private final TrainerConfig config;

    TrainerResource(TrainerService trainer, CheckpointStore models, TrainerConfig config) {
        this.trainer = trainer;
        this.models = models;
        this.config = config;
    }

    @GET
    @Path("/status")
    @Operation(summary = "State, run, epoch, step, losses, images per second, data-set size, last checkpoint")
    public TrainerStatus status() {
        return trainer.status();
    }

    @GET
    @Path("/losses")
    @Operation(summary = "Loss history for charts: points after the given step")
    public List<LossHistory.Point> losses(@QueryParam("since") @DefaultValue("-1") long since) {
        return trainer.history().since(since);
    }

    @POST
    @Path("/pause")
    @Operation(summary = "Pause after the current batch; 409 when no run is under way")
    public Response pause() {
        Optional<String> refused = trainer.pause();
        return refused.isPresent() ? Response.status(Response.Status.CONFLICT).entity(Map.of("error", refused.get())).build()
                : Response.ok(trainer.status()).build();
    }

    @POST
    @Path("/resume")
    @Operation(summary = "Resume a paused trainer")
    public TrainerStatus resume() {
        trainer.resume();
        return trainer.status();
    }

    @GET
    @Path("/runs")
    @Operation(summary = "Every run in the models bucket with its newest complete checkpoint step")
    public List<Map<String, Object>> runs() {
        return models.runs().entrySet().stream()
                .map(e -> Map.<String, Object>of("runId", e.getKey(), "latestCheckpointStep", e.getValue().orElse(-1L)))
                .toList();
    }

    @POST
    @Path("/runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start (or continue) a run with these settings; the current run is checkpointed first")
    public Response startRun(RunParameters request) {
        if (request == null || request.runId() == null) {
            return badRequest("a JSON body with at least runId is needed");
        }
        RunSettings settings;
        try {
            settings = request.over(config.runDefaults()).toSettings(config.runSchedule());
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        Optional<String> conflict = architectureConflict(settings);
        if (conflict.isPresent()) {
            return Response.status(Response.Status.CONFLICT).entity(Map.of("error", conflict.get())).build();
        }
        Optional<String> tooLarge = trainer.memoryRefusal(settings);
        if (tooLarge.isPresent()) {
            return badRequest(tooLarge.get());
        }
        trainer.start(settings);
        return Response.accepted(Map.of("runId", settings.runId(), "settings", settings.toString())).build();
    }

    /**
     * A run keeps its architecture: settings that differ from its newest checkpoint's, or from its graph's while it
     * trains (the switch stores a checkpoint of it first), would fail its resume (and stop the training loop), so they
     * are refused here with the reason.
     */
    private Optional<String> architectureConflict(RunSettings settings) {
        Optional<RunSettings> underWay = trainer.runUnderWay().filter(r -> r.runId().equals(settings.runId()));
        if (underWay.isPresent() && !underWay.get().architecture().equals(settings.architecture())) {
            return Optional.of("run " + settings.runId() + " is training with " + shape(underWay.get().architecture())
                    + "; these settings have " + shape(settings.architecture())
                    + ": continue it with its own, or start another run id");
        }
        Optional<Long> latest = models.latestCheckpoint(settings.runId());
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        io.oshigan.dcgan.Architecture stored = io.oshigan.dcgan.Checkpoints.parseManifest(
                models.manifest(settings.runId(), latest.get()), ObjectKeys.checkpointPrefix(settings.runId(), latest.get()))
                .architecture();
        return stored.equals(settings.architecture()) ? Optional.empty() : Optional.of("run " + settings.runId()
                + " was trained with " + shape(stored) + " (checkpoint at step " + latest.get() + "); these settings have "
                + shape(settings.architecture()) + ": continue it with its own, or start another run id");
    }

    private static String shape(io.oshigan.dcgan.Architecture architecture) {
        return "nz=" + architecture.nz() + ", ngf=" + architecture.ngf() + ", ndf=" + architecture.ndf();
    }

    private static Response badRequest(String reason) {
        return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error", reason)).build();
    }
}
