package io.oshigan.gateway.rest;

import io.oshigan.gateway.config.GatewayConfig;
import io.oshigan.gateway.security.PrivateRead;
import io.oshigan.gateway.storage.ImageSniffer;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The pictures behind the upload history: an uploaded picture and a face's crop. Each is served only as the image its
 * bytes are (sniffed, never the stored or declared type, with nosniff), so an object dropped straight into a bucket
 * cannot be served as a page; pictures larger than an upload may be are refused, and the rest is streamed, never
 * held whole in memory. Uploaded pictures need an API key (ApiKeys: private reads): people's originals, names and
 * metadata are not for anyone who finds the gateway.
 */
@Path("/api/dataset/images")
public class DatasetImagesResource {
    /** Enough of the start of a file for ImageSniffer. */
    private static final int SNIFFED = 16;
    private final ObjectStore store;
    private final long maxBytes;

    DatasetImagesResource(ObjectStore store, GatewayConfig config) {
        this.store = store;
        this.maxBytes = config.upload().maxFileBytes();
    }

    @GET
    @Path("/raw")
    @PrivateRead
    @Operation(summary = "An uploaded picture, by its key in the raw bucket")
    public Response raw(@QueryParam("key") String key) {
        return image(Bucket.RAW, key, "no upload " + key);
    }

    @GET
    @Path("/crop")
    @Operation(summary = "A face's 96x96 crop, by its key in the faces bucket (crops/...)")
    public Response crop(@QueryParam("key") String key) {
        if (!ClientKeys.key(key).startsWith(ObjectKeys.CROPS)) {
            throw new UploadRejectedException(400, "a crop key starts with " + ObjectKeys.CROPS);
        }
        return image(Bucket.FACES, key, "no crop " + key);
    }

    private Response image(Bucket bucket, String key, String missing) {
        ClientKeys.key(key);
        StoredObject object = store.stat(bucket, key).orElse(null);
        if (object == null) {
            return ErrorMappers.json(404, missing);
        }
        if (object.size() > maxBytes) {
            return ErrorMappers.json(413, key + " has " + object.size() + " bytes, more than a picture may have ("
                    + maxBytes + ")");
        }
        java.io.InputStream in = new java.io.BufferedInputStream(store.open(bucket, key));
        String type;
        try {
            in.mark(SNIFFED);
            type = ImageSniffer.mediaType(in.readNBytes(SNIFFED)).orElse(null);
            in.reset();
        } catch (java.io.IOException e) {
            close(in);
            throw new java.io.UncheckedIOException("reading " + key + " failed", e);
        }
        if (type == null) {
            close(in);
            return ErrorMappers.json(415, key + " is not an image");
        }
        jakarta.ws.rs.core.StreamingOutput body = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        return Response.ok(body).type(type).header("Content-Length", object.size())
                .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "private, max-age=3600").build();
    }

    private static void close(java.io.InputStream in) {
        try {
            in.close();
        } catch (java.io.IOException ignored) {
            // nothing was sent: the stream is abandoned
        }
    }
}
