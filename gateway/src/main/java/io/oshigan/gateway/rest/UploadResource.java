package io.oshigan.gateway.rest;

import io.oshigan.gateway.config.GatewayConfig;
import io.oshigan.gateway.security.UploadKeyWrite;
import io.oshigan.contracts.CropManifest;
import io.oshigan.gateway.storage.ImageSniffer;
import io.oshigan.gateway.storage.Manifests;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StoredObject;
import io.oshigan.support.concurrent.StripedLocks;
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
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Uploads into bucket raw, which starts the pipeline (crop-service). Each file is checked by size and by its first
 * bytes; a single refused file answers 413 or 415, several files answer 200 with a result per file. A file is stored
 * under its content's hash (ObjectKeys.upload): bytes uploaded before are answered with the earlier upload (status
 * 200, "duplicate"), so a retried request stores nothing twice. The look for an earlier upload and the store are one
 * step per content in this gateway: the page sends each dropped file as a request of its own, all at once, so a folder
 * holding one picture under two names sends the same bytes twice at the same moment. (Two gateway replicas can still
 * both store them; the trainer then trains the face once all the same.)
 */
@Path("/api/uploads")
public class UploadResource {
    private final ObjectStore store;
    private final GatewayConfig config;
    private final Manifests manifests;
    /** Per content, striped: one upload of the same bytes at a time looks for an earlier one and stores. */
    private final StripedLocks contentLocks = new StripedLocks(64);

    UploadResource(ObjectStore store, GatewayConfig config, Manifests manifests) {
        this.store = store;
        this.config = config;
        this.manifests = manifests;
    }

    @POST
    @UploadKeyWrite
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
        if (results.size() == 1 && results.get(0).get("status") instanceof Integer status && status >= 400) {
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
        byte[] content = sha256(file);
        var lock = contentLocks.of(java.nio.ByteBuffer.wrap(content));
        lock.lock();
        try {
            return storeOnce(file, result, name, size, mediaType.get(), content);
        } finally {
            lock.unlock();
        }
    }

    private Map<String, Object> storeOnce(FileUpload file, Map<String, Object> result, String name, long size,
                                          String mediaType, byte[] content) throws IOException {
        // the same bytes again (a retried request, a picture dropped twice) are answered with the upload made of them,
        // not stored again: two copies would be cropped twice and train twice. One that was refused is stored anew,
        // under a name of its own: sent again after the cause was fixed, it is looked at again
        List<StoredObject> before = store.list(Bucket.RAW, ObjectKeys.uploadsOf(content));
        var earlier = before.stream().filter(o -> manifests.ofUpload(o.key(), o.eTag())
                .map(m -> m.status() != CropManifest.Status.REJECTED).orElse(true)).findFirst();
        if (earlier.isPresent()) {
            result.put("status", 200);
            result.put("duplicate", true);
            result.put("key", earlier.get().key());
            result.put("eTag", earlier.get().eTag());
            result.put("contentType", mediaType);
            return result;
        }
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            String fileName = before.isEmpty() ? safe(name) : "again-" + before.size() + "-" + safe(name);
            StoredObject stored = store.put(Bucket.RAW, ObjectKeys.upload(content, fileName), in, size, mediaType);
            result.put("status", 201);
            result.put("key", stored.key());
            result.put("eTag", stored.eTag());
            result.put("contentType", mediaType);
        }
        return result;
    }

    private static byte[] sha256(FileUpload file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file.uploadedFile()), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return digest.digest();
    }

    private static Map<String, Object> failed(Map<String, Object> result, int status, String reason) {
        result.put("status", status);
        result.put("error", reason);
        return result;
    }

    private static String safe(String name) {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        base = base.substring(0, Math.min(100, base.length()));
        return base.matches("[A-Za-z0-9].*") ? base : "upload" + base; // a name starts with a letter or digit
    }
}
