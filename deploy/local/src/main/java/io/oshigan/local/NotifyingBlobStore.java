package io.oshigan.local;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;

import java.util.List;

/**
 * Wraps s3proxy's storage and reports every object created in the watched bucket, after it is stored, the way
 * MinIO's bucket notification does. The report is synchronous: if it cannot be published, the upload fails and the
 * client retries, so no upload goes unannounced.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {
    static final String PUT = "s3:ObjectCreated:Put";
    static final String COPY = "s3:ObjectCreated:Copy";
    static final String COMPLETE_MULTIPART = "s3:ObjectCreated:CompleteMultipartUpload";

    interface Listener {
        void objectCreated(String eventName, MinioEvents.CreatedObject object);
    }

    private final String watchedBucket;
    private final Listener listener;
    /** s3proxy stores a stub blob named after each open multipart upload id; those are not uploads. */
    private final OpenUploads openUploads;

    NotifyingBlobStore(BlobStore delegate, String watchedBucket, OpenUploads openUploads, Listener listener) {
        super(delegate);
        this.watchedBucket = watchedBucket;
        this.openUploads = openUploads;
        this.listener = listener;
    }

    @Override
    public String putBlob(String container, Blob blob) {
        String eTag = super.putBlob(container, blob);
        announce(PUT, container, blob.getMetadata().getName());
        return eTag;
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        String eTag = super.putBlob(container, blob, options);
        announce(PUT, container, blob.getMetadata().getName());
        return eTag;
    }

    @Override
    public String copyBlob(String fromContainer, String fromName, String toContainer, String toName,
                           CopyOptions options) {
        String eTag = super.copyBlob(fromContainer, fromName, toContainer, toName, options);
        announce(COPY, toContainer, toName);
        return eTag;
    }

    @Override
    public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
        String eTag = super.completeMultipartUpload(upload, parts);
        announce(COMPLETE_MULTIPART, upload.containerName(), upload.blobName());
        return eTag;
    }

    private void announce(String eventName, String container, String name) {
        if (!watchedBucket.equals(container) || openUploads.isStub(name)) {
            return;
        }
        BlobMetadata stored = delegate().blobMetadata(container, name);
        if (stored == null) {
            throw new IllegalStateException("object " + container + "/" + name + " vanished right after it was stored");
        }
        String eTag = stored.getETag() == null ? "" : stored.getETag().replace("\"", "");
        Long size = stored.getSize() != null ? stored.getSize() : stored.getContentMetadata().getContentLength();
        listener.objectCreated(eventName, new MinioEvents.CreatedObject(container, name,
                size == null ? 0 : size, eTag, stored.getContentMetadata().getContentType(),
                stored.getUserMetadata()));
    }
}
