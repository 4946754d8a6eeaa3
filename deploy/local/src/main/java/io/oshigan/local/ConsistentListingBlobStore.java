package io.oshigan.local;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.domain.internal.PageSetImpl;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Makes s3proxy's directory storage list as S3 does while objects are written and deleted: a listing of a bucket never
 * runs at the same time as a change to the files it walks, and never shows a multipart upload's own files.
 * <p>
 * Its listing (s3proxy 2.6 {@code AbstractNio2BlobStore.listHelper}) walks each directory and reads each file's
 * attributes; a file deleted in between throws {@code NoSuchFileException}, which it catches around that directory's
 * walk, so the rest of that directory is silently left out and the page says it is complete. A put writes
 * {@code name-UUID} beside its object and renames it, so a listing could also show that temporary file as an
 * object, or stop at it. {@code aws s3 rm --recursive} (listing its next page while it deletes the first) left 565
 * to 1945 of 2500-3000 objects behind on each of four tries. An open multipart upload keeps its parts as files named
 * {@code .mpus-...} and a stub named after its id at the bucket's top, which 2.6 lists as objects.
 * <p>
 * Changes take the shared side of their bucket's read-write lock (they still run at once), listings the exclusive
 * side: a listing waits for the puts in flight into its bucket, and the puts after it wait for the listing.
 */
final class ConsistentListingBlobStore extends ForwardingBlobStore {
    /** s3proxy's name for the files of a multipart upload, parts and stub (its MULTIPART_PREFIX). */
    static final String MULTIPART_PREFIX = ".mpus-";

    private final Map<String, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();
    /** The multipart uploads whose stub s3proxy has not removed yet: this store keeps the set, others read it. */
    private final OpenUploads openUploads;

    ConsistentListingBlobStore(BlobStore delegate, OpenUploads openUploads) {
        super(delegate);
        this.openUploads = openUploads;
    }

    @Override
    public PageSet<? extends StorageMetadata> list(String container) {
        return list(container, ListContainerOptions.NONE);
    }

    @Override
    public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
        boolean ofUploads = options.getPrefix() != null && options.getPrefix().startsWith(MULTIPART_PREFIX);
        return locked(lock(container).writeLock(), () -> {   // the stubs known at the moment of the walk
            PageSet<? extends StorageMetadata> page = super.list(container, options);
            return ofUploads ? page : new PageSetImpl<>(page.stream().filter(entry ->
                    !entry.getName().startsWith(MULTIPART_PREFIX) && !openUploads.isStub(entry.getName())).toList(),
                    page.getNextMarker());
        });
    }

    @Override
    public String putBlob(String container, Blob blob) {
        return change(container, () -> super.putBlob(container, blob));
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        return change(container, () -> super.putBlob(container, blob, options));
    }

    @Override
    public String copyBlob(String fromContainer, String fromName, String toContainer, String toName,
                           CopyOptions options) {
        return change(toContainer, () -> super.copyBlob(fromContainer, fromName, toContainer, toName, options));
    }

    @Override
    public void removeBlob(String container, String name) {
        change(container, () -> {
            super.removeBlob(container, name);
            openUploads.removed(name);   // s3proxy removes an upload's stub after completing or aborting it
            return null;
        });
    }

    @Override
    public void removeBlobs(String container, Iterable<String> names) {
        change(container, () -> {
            super.removeBlobs(container, names);
            return null;
        });
    }

    @Override
    public MultipartUpload initiateMultipartUpload(String container, BlobMetadata metadata, PutOptions options) {
        return change(container, () -> {
            MultipartUpload upload = super.initiateMultipartUpload(container, metadata, options);
            openUploads.opened(upload.id());
            return upload;
        });
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        change(upload.containerName(), () -> {
            super.abortMultipartUpload(upload);
            return null;
        });
    }

    @Override
    public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
        return change(upload.containerName(), () -> super.completeMultipartUpload(upload, parts));
    }

    /** A part is a file written beside its upload's others and renamed, as a put's. */
    @Override
    public MultipartPart uploadMultipartPart(MultipartUpload upload, int partNumber, Payload payload) {
        return change(upload.containerName(), () -> super.uploadMultipartPart(upload, partNumber, payload));
    }

    private <T> T change(String container, Supplier<T> change) {
        return locked(lock(container).readLock(), change);
    }

    private ReentrantReadWriteLock lock(String container) {
        return locks.computeIfAbsent(container, c -> new ReentrantReadWriteLock());
    }

    private static <T> T locked(Lock lock, Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
