package io.oshigan.gateway.rest;

import io.oshigan.contracts.ContractViolationException;
import io.oshigan.contracts.CropManifest;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
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
import java.util.concurrent.ConcurrentHashMap;

/** What the data set holds: uploads, faces, and uploads without a face or refused, with the reasons. */
@Path("/api/dataset")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {
    private final ObjectStore store;
    /** Manifests never change once written, so each is read once. */
    private final Map<String, CropManifest> manifests = new ConcurrentHashMap<>();

    /** The counts list whole buckets: one listing serves every caller for a while (one entry, expiring). */
    private final com.github.benmanes.caffeine.cache.LoadingCache<String, Map<String, Object>> stats;

    DatasetResource(ObjectStore store, io.oshigan.gateway.config.GatewayConfig config) {
        this.store = store;
        this.stats = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                .expireAfterWrite(config.datasetStatsTtl()).maximumSize(1).build(key -> count());
    }

    @GET
    @Operation(summary = "Counts: raw images, faces, processed uploads by outcome, refusals by reason (at most dataset-stats-ttl old)")
    public Map<String, Object> stats() {
        return stats.get("all");
    }

    private Map<String, Object> count() {
        List<StoredObject> raw = store.list(Bucket.RAW, "");
        long faces = store.list(Bucket.FACES, "crops/").size();
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        for (StoredObject manifest : store.list(Bucket.FACES, "manifests/")) {
            CropManifest read = manifest(manifest.key());
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
        stats.put("faces", faces);
        stats.put("processed", outcomes);
        stats.put("rejectedByReason", reasons);
        return stats;
    }

    @GET
    @Path("/upload")
    @Operation(summary = "What became of one upload: its manifest (faces found, or why refused), or pending")
    public Map<String, Object> upload(@QueryParam("key") String key, @QueryParam("eTag") String eTag) {
        if (key == null || eTag == null) {
            throw new UploadRejectedException(400, "key and eTag are needed (as the upload answered them)");
        }
        CropManifest manifest = manifest(ObjectKeys.cropManifest(ObjectKeys.sourceId(Bucket.RAW.bucketName(), key, eTag)));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("key", key);
        if (manifest == null) {
            result.put("status", "PENDING");
        } else {
            result.put("status", manifest.status().name());
            result.put("faces", manifest.crops().size());
            result.put("rejectedReason", manifest.rejectedReason());
        }
        return result;
    }

    /** The manifest (the crop-service's contract), or null when absent or not a valid one. */
    private CropManifest manifest(String key) {
        CropManifest cached = manifests.get(key);
        if (cached != null) {
            return cached;
        }
        if (!store.exists(Bucket.FACES, key)) {
            return null;
        }
        try {
            CropManifest manifest = CropManifest.CODEC.decode(store.get(Bucket.FACES, key));
            manifests.put(key, manifest);
            return manifest;
        } catch (ContractViolationException e) {
            return null;
        }
    }
}
