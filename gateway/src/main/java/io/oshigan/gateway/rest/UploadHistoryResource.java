package io.oshigan.gateway.rest;

import io.oshigan.gateway.config.GatewayConfig;
import io.oshigan.gateway.security.PrivateRead;
import io.oshigan.gateway.storage.Manifests;
import io.oshigan.gateway.storage.NewestFirst;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.Map;

/** Every upload, newest first, a page at a time, each with what became of it. */
@Path("/api/dataset/uploads")
@PrivateRead
@Produces(MediaType.APPLICATION_JSON)
public class UploadHistoryResource {
    static final int MAX_PAGE_SIZE = 50;
    private final Manifests manifests;
    private final NewestFirst uploads;

    UploadHistoryResource(ObjectStore store, Manifests manifests, GatewayConfig config) {
        this.manifests = manifests;
        this.uploads = new NewestFirst(store, Bucket.RAW, "", config.uploadHistoryTtl());
    }

    @GET
    @Operation(summary = "Uploads, newest first, with their outcome: faces and boxes, no face, or why refused")
    public Map<String, Object> page(@QueryParam("page") @DefaultValue("0") int page,
                                    @QueryParam("size") @DefaultValue("12") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new UploadRejectedException(400, "page must be >= 0 and size 1.." + MAX_PAGE_SIZE);
        }
        List<StoredObject> all = uploads.all();
        List<UploadOutcome> outcomes = NewestFirst.page(all, page, size).stream()
                .map(o -> UploadOutcome.of(o.key(), o.eTag(), o.lastModified(), o.size(),
                        manifests.ofUpload(o.key(), o.eTag())))
                .toList();
        return Map.of("page", page, "size", size, "total", all.size(), "uploads", outcomes);
    }
}
