package io.oshigan.gateway.rest;

import io.oshigan.gateway.config.GatewayConfig;
import io.oshigan.gateway.storage.ImageSniffer;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Uploads into bucket raw, which starts the pipeline (crop-service). Each file is checked by size and by its first
 * bytes; a single refused file answers 413 or 415, several files answer 200 with a result per file.
 */
@Path("/api/uploads")
public class UploadResource {
    private final ObjectStore store;
    private final GatewayConfig config;

    UploadResource(ObjectStore store, GatewayConfig config) {
        this.store = store;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload images (form field \"files\", many at once); API key needed")
    public Response upload(@RestForm("files") List<FileUpload> files) throws IOException {
        if (files == null || files.isEmpty()) {
            throw new UploadRejectedException(400, "no files: send them as multipart form field \"files\"");
        }
        if (files.size() > config.upload().maxFiles()) {
            throw new UploadRejectedException(413, files.size() + " files in one upload; the limit is " + config.upload().maxFiles());
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (FileUpload file : files) {
            results.add(store(file));
        }
        if (results.size() == 1 && results.get(0).get("status") instanceof Integer status && status != 201) {
            throw new UploadRejectedException(status, (String) results.get(0).get("error"));
        }
        return Response.ok(Map.of("files", results)).build();
    }

    private Map<String, Object> store(FileUpload file) throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        String name = file.fileName() == null ? "upload" : file.fileName();
        result.put("file", name);
        long size = Files.size(file.uploadedFile());
        if (size > config.upload().maxFileBytes()) {
            return failed(result, 413, name + " has " + size + " bytes; the limit is " + config.upload().maxFileBytes());
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            head = in.readNBytes(16);
        }
        var mediaType = ImageSniffer.mediaType(head);
        if (mediaType.isEmpty()) {
            return failed(result, 415, name + " is not an image: its bytes are not JPEG, PNG, GIF, BMP or WebP, whatever its name says");
        }
        String key = "uploads/" + LocalDate.now() + "/" + UUID.randomUUID() + "-" + safe(name);
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            StoredObject stored = store.put(Bucket.RAW, key, in, size, mediaType.get());
            result.put("status", 201);
            result.put("key", stored.key());
            result.put("eTag", stored.eTag());
            result.put("contentType", mediaType.get());
        }
        return result;
    }

    private static Map<String, Object> failed(Map<String, Object> result, int status, String reason) {
        result.put("status", status);
        result.put("error", reason);
        return result;
    }

    private static String safe(String name) {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        return base.isEmpty() ? "upload" : base.substring(0, Math.min(100, base.length()));
    }
}
