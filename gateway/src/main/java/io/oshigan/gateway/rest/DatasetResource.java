package io.oshigan.gateway.rest;

import io.oshigan.contracts.CropManifest;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.gateway.storage.Manifests;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the data set holds: uploads, faces, and uploads without a face or refused, with the reasons. */
@Path("/api/dataset")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {
    private final ObjectStore store;
    private final Manifests manifests;

    /** The counts list whole buckets: one listing serves every caller for a while (one entry, expiring). */
    private final com.github.benmanes.caffeine.cache.LoadingCache<String, Map<String, Object>> stats;

    DatasetResource(ObjectStore store, Manifests manifests, io.oshigan.gateway.config.GatewayConfig config) {
        this.store = store;
        this.manifests = manifests;
        this.stats = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                .expireAfterWrite(config.datasetStatsTtl()).maximumSize(1).build(key -> count());
    }

    @GET
    @Operation(summary = "Counts: raw images, faces (demoFaces of them the demo's synthetic ones), processed uploads by outcome, refusals by reason (at most dataset-stats-ttl old)")
    public Map<String, Object> stats() {
        return stats.get("all");
    }

    private Map<String, Object> count() {
        List<StoredObject> raw = store.list(Bucket.RAW, "");
        List<StoredObject> crops = store.list(Bucket.FACES, ObjectKeys.CROPS);
        long demoFaces = crops.stream().map(StoredObject::key).filter(ObjectKeys::isDemoCrop).count();
        long excluded = store.list(Bucket.FACES, ObjectKeys.EXCLUSIONS).size();
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        for (StoredObject manifest : store.list(Bucket.FACES, "manifests/")) {
            CropManifest read = manifests.byKey(manifest.key()).orElse(null);
            if (read == null) {
                continue;
            }
            outcomes.merge(read.status().name(), 1, Integer::sum);
            if (read.status() == CropManifest.Status.REJECTED) {
                reasons.merge(read.rejectedLabel(), 1, Integer::sum);
            }
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("rawImages", raw.size());
        stats.put("faces", crops.size());
        stats.put("demoFaces", demoFaces);   // trained on in demo mode only
        stats.put("excludedFaces", excluded);
        stats.put("processed", outcomes);
        stats.put("rejectedByReason", reasons);
        return stats;
    }

    @GET
    @Path("/upload")
    @Operation(summary = "What became of one upload: its manifest (faces found, or why refused), or pending")
    public UploadOutcome upload(@QueryParam("key") String key, @QueryParam("eTag") String eTag) {
        if (key == null || eTag == null) {
            throw new UploadRejectedException(400, "key and eTag are needed (as the upload answered them)");
        }
        return UploadOutcome.of(key, eTag, null, null, manifests.ofUpload(ClientKeys.key(key), ClientKeys.eTag(eTag)));
    }
}
