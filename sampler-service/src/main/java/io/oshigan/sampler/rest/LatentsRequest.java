package io.oshigan.sampler.rest;

import java.util.List;
import java.util.Locale;

/** Explicit latent vectors, n x nz, and the answer wanted: "png" (a grid) or "json" (raw floats). */
public record LatentsRequest(List<List<Float>> latents, String format, String version) {

    /** The number of vectors; a 400 when there are none. */
    int count() {
        if (latents == null || latents.isEmpty()) {
            throw new BadRequestException("the body needs \"latents\": a non-empty list of latent vectors");
        }
        return latents.size();
    }

    /** True for raw floats, false for a PNG grid. */
    boolean json() {
        String answer = format == null ? "png" : format.toLowerCase(Locale.ROOT);
        if (!answer.equals("png") && !answer.equals("json")) {
            throw new BadRequestException("format must be png or json but is '" + format + "'");
        }
        return answer.equals("json");
    }

    /** The vectors laid end to end; a 400 naming the first that is not nz finite numbers. */
    float[] flattened(int nz, String versionId) {
        float[] flat = new float[latents.size() * nz];
        for (int i = 0; i < latents.size(); i++) {
            List<Float> vector = latents.get(i);
            if (vector == null || vector.size() != nz) {
                throw new BadRequestException("latent vector " + i + " has " + (vector == null ? 0 : vector.size())
                        + " values; version " + versionId + " needs nz = " + nz);
            }
            for (int j = 0; j < nz; j++) {
                Float v = vector.get(j);
                if (v == null || !Float.isFinite(v)) {
                    throw new BadRequestException("latent vector " + i + " value " + j + " is not a finite number");
                }
                flat[i * nz + j] = v;
            }
        }
        return flat;
    }
}
