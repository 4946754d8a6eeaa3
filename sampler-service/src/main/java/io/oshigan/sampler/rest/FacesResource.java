package io.oshigan.sampler.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.oshigan.dcgan.Architecture;
import io.oshigan.sampler.config.SamplerConfig;
import io.oshigan.dcgan.translate.FaceImages;
import io.oshigan.dcgan.translate.Latents;
import io.oshigan.sampler.domain.Ranking;
import io.oshigan.sampler.inference.BatchingGenerator;
import io.oshigan.sampler.inference.GridHalves;
import io.oshigan.sampler.model.GeneratorVersion;
import io.oshigan.sampler.model.ModelRegistry;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Generated faces. Every image answer carries X-Model-Version and X-Seed. */
@Path("/api/v1/faces")
public class FacesResource {
    private final ModelRegistry models;
    private final BatchingGenerator generator;
    private final SamplerConfig config;
    private final MeterRegistry metrics;
    private final GridHalves halves;

    FacesResource(ModelRegistry models, BatchingGenerator generator, GridHalves halves, SamplerConfig config, MeterRegistry metrics) {
        this.models = models;
        this.generator = generator;
        this.halves = halves;
        this.config = config;
        this.metrics = metrics;
    }

    @GET
    @Path("/{seed}")
    @Produces({"image/png", "image/jpeg", MediaType.APPLICATION_JSON})
    @Operation(summary = "One face for a seed: the same seed and version always give the same bytes")
    public Response face(@PathParam("seed") long seed, @BeanParam SampleParams params) {
        return grid(seed, 1, 1, params);
    }

    @GET
    @Path("/grid")
    @Produces({"image/png", "image/jpeg", MediaType.APPLICATION_JSON})
    @Operation(summary = "A grid of n faces from one seed")
    public Response grid(@QueryParam("seed") @DefaultValue("0") long seed, @QueryParam("n") @DefaultValue("16") int n,
                         @QueryParam("columns") @DefaultValue("8") int columns, @BeanParam SampleParams params) {
        checkCount(n);
        int rank = params.rank();
        if (columns < 1) {
            throw new BadRequestException("columns must be >= 1 but is " + columns);
        }
        FaceImages.Format imageFormat = params.format();
        Latents.Truncation mode = params.truncation();
        GeneratorVersion model = models.lease(params.version());
        try {
            int drawn = n * rank;
            int nz = model.architecture().nz();
            float[] latents = Latents.fromSeed(seed, drawn, nz, mode, params.threshold());
            if (rank == 1 && imageFormat == FaceImages.Format.PNG && halves.splits(n, columns)) {
                // two runs of their own at once; anything smaller goes through the batcher as ever
                return image(halves.png(model, latents, nz, n, columns), imageFormat, model, String.valueOf(seed), "grid");
            }
            float[] images = generator.generate(model, latents, drawn);
            if (rank > 1) {
                images = Ranking.mostReal(images, models.scorer(model).score(images, drawn), n);
            }
            return image(FaceImages.encode(images, n, columns, imageFormat), imageFormat, model, String.valueOf(seed), "grid");
        } finally {
            model.release();
        }
    }

    @GET
    @Path("/interpolate")
    @Produces({"image/png", "image/jpeg", MediaType.APPLICATION_JSON})
    @Operation(summary = "k faces on the way from one seed's latent vector to another's, linear or spherical")
    public Response interpolate(@QueryParam("from") long from, @QueryParam("to") long to,
                                @QueryParam("steps") @DefaultValue("8") int steps,
                                @QueryParam("mode") @DefaultValue("spherical") String mode,
                                @QueryParam("format") @DefaultValue("png") String format, @QueryParam("version") String version) {
        checkCount(steps);
        if (steps < 2) {
            throw new BadRequestException("steps must be >= 2 but is " + steps);
        }
        boolean spherical = switch (mode.toLowerCase(Locale.ROOT)) {
            case "spherical", "slerp" -> true;
            case "linear", "lerp" -> false;
            default -> throw new BadRequestException("mode must be linear or spherical but is '" + mode + "'");
        };
        FaceImages.Format imageFormat = SampleParams.format(format);
        GeneratorVersion model = models.lease(Optional.ofNullable(version));
        try {
            int nz = model.architecture().nz();
            float[] latents = Latents.interpolate(Latents.fromSeed(from, 1, nz, Latents.Truncation.NONE, 0),
                    Latents.fromSeed(to, 1, nz, Latents.Truncation.NONE, 0), steps, spherical);
            float[] images = generator.generate(model, latents, steps);
            return image(FaceImages.encode(images, steps, steps, imageFormat), imageFormat, model, from + "," + to, "interpolate");
        } finally {
            model.release();
        }
    }

    @POST
    @Path("/latents")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({"image/png", MediaType.APPLICATION_JSON})
    @Operation(summary = "Faces for explicit latent vectors (n x nz): a PNG grid, or raw [-1, 1] floats as JSON")
    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(content = @org.eclipse.microprofile.openapi.annotations.media.Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(
            implementation = LatentsRequest.class)))
    public Response latents(java.io.InputStream body) {
        LatentsRequest request = LatentsRequest.read(body, config.maxImages());
        int n = request.count();
        checkCount(n);
        boolean json = request.json();
        GeneratorVersion model = models.lease(Optional.ofNullable(request.version()));
        try {
            float[] images = generator.generate(model, request.flattened(model.architecture().nz(), model.id()), n);
            if (json) {
                metrics.counter("oshigan.sampler.requests", "endpoint", "latents").increment();
                return Response.ok(Map.of("version", model.id(), "shape", new int[]{n, Architecture.IMAGE_SIZE, Architecture.IMAGE_SIZE, Architecture.CHANNELS}, "images", images),
                        MediaType.APPLICATION_JSON).header("X-Model-Version", model.id()).build();
            }
            return image(FaceImages.encode(images, n, 8, FaceImages.Format.PNG), FaceImages.Format.PNG, model, "latents", "latents");
        } finally {
            model.release();
        }
    }

    private Response image(byte[] bytes, FaceImages.Format format, GeneratorVersion model, String seed, String endpoint) {
        metrics.counter("oshigan.sampler.requests", "endpoint", endpoint).increment();
        metrics.counter("oshigan.sampler.images", "version", model.id()).increment();
        return Response.ok(bytes, format.mediaType()).header("X-Model-Version", model.id()).header("X-Seed", seed).build();
    }

    private void checkCount(int n) {
        if (n < 1 || n > config.maxImages()) {
            throw new BadRequestException("n must be between 1 and " + config.maxImages() + " but is " + n);
        }
    }
}
