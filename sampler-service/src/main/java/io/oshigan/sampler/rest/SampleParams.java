package io.oshigan.sampler.rest;

import io.oshigan.dcgan.translate.FaceImages;
import io.oshigan.dcgan.translate.Latents;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

import java.util.Locale;
import java.util.Optional;

/** The query parameters a face and a grid share, each checked with a precise 400. */
public class SampleParams {
    /** D-ranked sampling draws up to this many candidates per image kept. */
    static final int MAX_RANK = 8;

    @QueryParam("version")
    String version;

    @QueryParam("format")
    @DefaultValue("png")
    String format;

    @QueryParam("truncation")
    @DefaultValue("none")
    String truncation;

    @QueryParam("threshold")
    @DefaultValue("2.0")
    float threshold;

    @QueryParam("rank")
    @DefaultValue("1")
    int rank;

    Optional<String> version() {
        return Optional.ofNullable(version);
    }

    float threshold() {
        return threshold;
    }

    int rank() {
        if (rank < 1 || rank > MAX_RANK) {
            throw new BadRequestException("rank must be between 1 (off) and " + MAX_RANK + " but is " + rank);
        }
        return rank;
    }

    FaceImages.Format format() {
        return format(format);
    }

    static FaceImages.Format format(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "png" -> FaceImages.Format.PNG;
            case "jpeg", "jpg" -> FaceImages.Format.JPEG;
            default -> throw new BadRequestException("format must be png or jpeg but is '" + format + "'");
        };
    }

    Latents.Truncation truncation() {
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
