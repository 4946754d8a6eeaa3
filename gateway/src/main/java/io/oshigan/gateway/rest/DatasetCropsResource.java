package io.oshigan.gateway.rest;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.oshigan.contracts.CropExclusion;
import io.oshigan.contracts.CropManifest;
import io.oshigan.gateway.config.GatewayConfig;
import io.oshigan.gateway.storage.Manifests;
import io.oshigan.gateway.storage.NewestFirst;
import io.oshigan.gateway.storage.SameFaces;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.CropExclusions;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data set's faces, newest first, each with the upload it came from, and their exclusion from training: a
 * keyholder excludes a crop (a false face, a bad crop) and brings it back; the trainer leaves it out from its next
 * epoch on (contracts' CropExclusion, stored in the faces bucket). The demo's synthetic faces are marked: of the
 * included ones, only a trainer in demo mode trains on them. Crops of the same bytes (the same eTag: the crop-service
 * writes the same pixels as the same PNG) are one face to the trainer, which trains it once: each but the first in key
 * order is marked {@code duplicateOf} that one, and the face is out if any of its crops is excluded.
 */
@Path("/api/dataset/crops")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetCropsResource {
    private final ObjectStore store;
    private final Manifests manifests;
    private final NewestFirst crops;
    private final LoadingCache<String, Set<String>> excluded;

    DatasetCropsResource(ObjectStore store, Manifests manifests, GatewayConfig config) {
        this.store = store;
        this.manifests = manifests;
        this.crops = new NewestFirst(store, Bucket.FACES, ObjectKeys.CROPS, config.uploadHistoryTtl());
        this.excluded = Caffeine.newBuilder().maximumSize(1).expireAfterWrite(config.uploadHistoryTtl())
                .build(all -> CropExclusions.of(store));
    }

    @GET
    @Operation(summary = "Faces, newest first, a page at a time: crop key, excluded or not, the demo's or not, the upload it came from")
    public Map<String, Object> page(@QueryParam("page") @DefaultValue("0") int page,
                                    @QueryParam("size") @DefaultValue("24") int size) {
        if (page < 0 || size < 1 || size > UploadHistoryResource.MAX_PAGE_SIZE) {
            throw new UploadRejectedException(400, "page must be >= 0 and size 1.." + UploadHistoryResource.MAX_PAGE_SIZE);
        }
        List<StoredObject> all = crops.all();
        Set<String> out = excluded.get("faces");
        SameFaces same = SameFaces.of(all, out);
        List<Map<String, Object>> faces = NewestFirst.page(all, page, size).stream().map(o -> {
            Map<String, Object> face = new LinkedHashMap<>();
            face.put("cropKey", o.key());
            face.put("excluded", out.contains(o.key()));
            same.firstOf(o).ifPresent(first -> face.put("duplicateOf", first));
            face.put("demo", ObjectKeys.isDemoCrop(o.key()));   // synthetic: trained on in demo runs only
            ObjectKeys.manifestOfCrop(o.key()).flatMap(manifests::byKey).map(CropManifest::sourceKey)
                    .ifPresent(source -> face.put("sourceKey", source));
            return face;
        }).toList();
        long excludedCount = all.stream().filter(o -> out.contains(o.key())).count();
        long demo = all.stream().filter(o -> ObjectKeys.isDemoCrop(o.key()) && !out.contains(o.key())).count();
        return Map.of("page", page, "size", size, "total", all.size(), "included", same.included(),
                "demo", demo, "excluded", excludedCount, "duplicates", all.size() - same.faces(), "faces", faces);
    }

    @PUT
    @Path("/exclusion")
    @Operation(summary = "Leave a face out of training from the trainer's next epoch on (API key needed)")
    public Map<String, Object> exclude(@QueryParam("key") String cropKey) {
        String key = exclusionKey(cropKey);
        if (!store.exists(Bucket.FACES, cropKey)) {
            throw new UploadRejectedException(404, "no crop " + cropKey);
        }
        store.put(Bucket.FACES, key, CropExclusion.CODEC.encode(CropExclusion.of(cropKey, Instant.now())), "application/json");
        excluded.invalidateAll();
        return Map.of("cropKey", cropKey, "excluded", true);
    }

    @DELETE
    @Path("/exclusion")
    @Operation(summary = "Bring an excluded face back into training (API key needed)")
    public Map<String, Object> bringBack(@QueryParam("key") String cropKey) {
        store.remove(Bucket.FACES, exclusionKey(cropKey));
        excluded.invalidateAll();
        return Map.of("cropKey", cropKey, "excluded", false);
    }

    private static String exclusionKey(String cropKey) {
        try {
            return ObjectKeys.exclusion(cropKey);
        } catch (IllegalArgumentException e) {
            throw new UploadRejectedException(400, e.getMessage());
        }
    }
}
