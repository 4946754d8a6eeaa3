package io.oshigan.sampler.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.oshigan.dcgan.Architecture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Explicit latent vectors, n x nz, and the answer wanted: "png" (a grid) or "json" (raw floats). Read from the body
 * token by token into floats, and refused (400) at the first vector beyond {@code maxVectors} or value beyond
 * {@link Architecture#MAX_NZ}: what a body costs is bounded by those, whatever its size. (Bound to a list of boxed
 * numbers, a 64 MB body of zeros was 33 million objects, about 0.7 GB, before any count was checked.)
 */
public record LatentsRequest(List<float[]> latents, String format, String version) {
    /** The longest string or field name read: "format" and "version" are short words (Jackson's default is 20 M). */
    static final int MAX_TEXT = 256;
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(MAX_TEXT).maxNameLength(MAX_TEXT).build()).build();

    /** The request in {@code body}; a 400 naming what is wrong with it. */
    static LatentsRequest read(InputStream body, int maxVectors) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequestException("the body must be a JSON object with \"latents\": a list of latent vectors");
            }
            List<float[]> latents = null;
            String format = null;
            String version = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "latents" -> latents = vectors(parser, value, maxVectors);
                    case "format" -> format = text(parser, value, field);
                    case "version" -> version = text(parser, value, field);
                    default -> parser.skipChildren();
                }
            }
            return new LatentsRequest(latents, format, version);
        } catch (StreamConstraintsException e) {
            throw new BadRequestException("the body has a string or field name longer than " + MAX_TEXT + " characters");
        } catch (JsonProcessingException e) {
            throw new BadRequestException("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<float[]> vectors(JsonParser parser, JsonToken token, int maxVectors) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw new BadRequestException("\"latents\" must be a list of latent vectors");
        }
        List<float[]> vectors = new ArrayList<>();
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (vectors.size() == maxVectors) {
                throw new BadRequestException("at most " + maxVectors + " latent vectors in one request");
            }
            vectors.add(vector(parser, token, vectors.size()));
        }
        return vectors;
    }

    private static float[] vector(JsonParser parser, JsonToken token, int index) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw new BadRequestException("latent vector " + index + " is not a list of numbers");
        }
        float[] values = new float[16];
        int n = 0;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (n == Architecture.MAX_NZ) {
                throw new BadRequestException("latent vector " + index + " has more than " + Architecture.MAX_NZ
                        + " values (the most any version's nz can be)");
            }
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new BadRequestException("latent vector " + index + " value " + n + " is not a finite number");
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, Math.min(2 * n, Architecture.MAX_NZ));
            }
            values[n++] = parser.getFloatValue();
        }
        return Arrays.copyOf(values, n);
    }

    private static String text(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new BadRequestException("\"" + field + "\" must be a string");
        }
        return parser.getText();
    }

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
            float[] vector = latents.get(i);
            if (vector.length != nz) {
                throw new BadRequestException("latent vector " + i + " has " + vector.length + " values; version "
                        + versionId + " needs nz = " + nz);
            }
            for (int j = 0; j < nz; j++) {
                if (!Float.isFinite(vector[j])) {
                    throw new BadRequestException("latent vector " + i + " value " + j + " is not a finite number");
                }
            }
            System.arraycopy(vector, 0, flat, i * nz, nz);
        }
        return flat;
    }
}
