package io.oshigan.sampler.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.oshigan.sampler.config.SamplerConfig;
import io.oshigan.dcgan.images.FaceImages;
import io.oshigan.sampler.domain.Latents;
import io.oshigan.sampler.inference.BatchingGenerator;
import io.oshigan.sampler.model.GeneratorVersion;
import io.oshigan.sampler.model.ModelRegistry;
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
    /** D-ranked sampling draws up to this many candidates per image kept. */
    static final int MAX_RANK = 8;

    private final ModelRegistry models;
    private final BatchingGenerator generator;
    private final SamplerConfig config;
    private final MeterRegistry metrics;

    FacesResource(ModelRegistry models, BatchingGenerator generator, SamplerConfig config, MeterRegistry metrics) {
        this.models = models;
        this.generator = generator;
        this.config = config;
        this.metrics = metrics;
    }

    @GET
    @Path("/{seed}")
    @Produces({"image/png", "image/jpeg", MediaType.APPLICATION_JSON})
    @Operation(summary = "One face for a seed: the same seed and version always give the same bytes")
    public Response face(@PathParam("seed") long seed, @QueryParam("version") String version,
                         @QueryParam("format") @DefaultValue("png") String format,
                         @QueryParam("truncation") @DefaultValue("none") String truncation,
                         @QueryParam("threshold") @DefaultValue("2.0") float threshold,
                         @QueryParam("rank") @DefaultValue("1") int rank) {
        return grid(seed, 1, 1, format, version, truncation, threshold, rank);
    }

    @GET
    @Path("/grid")
    @Produces({"image/png", "image/jpeg", MediaType.APPLICATION_JSON})
    @Operation(summary = "A grid of n faces from one seed")
    public Response grid(@QueryParam("seed") @DefaultValue("0") long seed, @QueryParam("n") @DefaultValue("16") int n,
                         @QueryParam("columns") @DefaultValue("8") int columns,
                         @QueryParam("format") @DefaultValue("png") String format, @QueryParam("version") String version,
                         @QueryParam("truncation") @DefaultValue("none") String truncation,
                         @QueryParam("threshold") @DefaultValue("2.0") float threshold,
                         @QueryParam("rank") @DefaultValue("1") int rank) {
        checkCount(n);
        if (rank < 1 || rank > MAX_RANK) {
            throw new BadRequestException("rank must be between 1 (off) and " + MAX_RANK + " but is " + rank);
        }
        if (columns < 1) {
            throw new BadRequestException("columns must be >= 1 but is " + columns);
        }
        FaceImages.Format imageFormat = format(format);
        Latents.Truncation mode = truncation(truncation, threshold);
        GeneratorVersion model = models.lease(Optional.ofNullable(version));
        try {
            int drawn = n * rank;
            float[] images = generator.generate(model, Latents.fromSeed(seed, drawn, model.architecture().nz(), mode, threshold), drawn);
            if (rank > 1) {
                images = mostReal(images, models.scorer(model).score(images, drawn), n);
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
        FaceImages.Format imageFormat = format(format);
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
    public Response latents(LatentsRequest request) {
        if (request == null || request.latents() == null || request.latents().isEmpty()) {
            throw new BadRequestException("the body needs \"latents\": a non-empty list of latent vectors");
        }
        int n = request.latents().size();
        checkCount(n);
        String answer = request.format() == null ? "png" : request.format().toLowerCase(Locale.ROOT);
        if (!answer.equals("png") && !answer.equals("json")) {
            throw new BadRequestException("format must be png or json but is '" + request.format() + "'");
        }
        GeneratorVersion model = models.lease(Optional.ofNullable(request.version()));
        try {
            int nz = model.architecture().nz();
            float[] latents = new float[n * nz];
            for (int i = 0; i < n; i++) {
                var vector = request.latents().get(i);
                if (vector == null || vector.size() != nz) {
                    throw new BadRequestException("latent vector " + i + " has " + (vector == null ? 0 : vector.size())
                            + " values; version " + model.id() + " needs nz = " + nz);
                }
                for (int j = 0; j < nz; j++) {
                    Float v = vector.get(j);
                    if (v == null || !Float.isFinite(v)) {
                        throw new BadRequestException("latent vector " + i + " value " + j + " is not a finite number");
                    }
                    latents[i * nz + j] = v;
                }
            }
            float[] images = generator.generate(model, latents, n);
            if (answer.equals("json")) {
                metrics.counter("oshigan.sampler.requests", "endpoint", "latents").increment();
                return Response.ok(Map.of("version", model.id(), "shape", new int[]{n, 96, 96, 3}, "images", images),
                        MediaType.APPLICATION_JSON).header("X-Model-Version", model.id()).build();
            }
            return image(FaceImages.encode(images, n, 8, FaceImages.Format.PNG), FaceImages.Format.PNG, model, "latents", "latents");
        } finally {
            model.release();
        }
    }

    /** The n images D finds most real, in the order they were drawn. */
    private static float[] mostReal(float[] images, float[] scores, int n) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        int[] keep = java.util.Arrays.stream(order).limit(n).mapToInt(Integer::intValue).sorted().toArray();
        int per = images.length / scores.length;
        float[] out = new float[n * per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images, keep[i] * per, out, i * per, per);
        }
        return out;
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

    private static FaceImages.Format format(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "png" -> FaceImages.Format.PNG;
            case "jpeg", "jpg" -> FaceImages.Format.JPEG;
            default -> throw new BadRequestException("format must be png or jpeg but is '" + format + "'");
        };
    }

    private static Latents.Truncation truncation(String truncation, float threshold) {
        Latents.Truncation mode;
        try {
            mode = Latents.Truncation.valueOf(truncation.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("truncation must be none, resample or scale but is '" + truncation + "'");
        }
        if (mode != Latents.Truncation.NONE && !(threshold > 0.1f && threshold <= 10f)) {
            throw new BadRequestException("threshold must be in (0.1, 10] but is " + threshold);
        }
        return mode;
    }
}
