package io.oshigan.sampler.rest;

import java.util.List;

/** Explicit latent vectors, n x nz, and the answer wanted: "png" (a grid) or "json" (raw floats). */
public record LatentsRequest(List<List<Float>> latents, String format, String version) {
}
