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
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;

import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Makes s3proxy's directory storage list as S3 does while objects are written and deleted: a listing never runs at
 * the same time as a change to the files it walks.
 * <p>
 * Its listing (s3proxy 2.6 {@code AbstractNio2BlobStore.listHelper}) walks a directory and reads each file's
 * attributes; a file deleted in between throws {@code NoSuchFileException}, which it catches around the whole walk,
 * so the rest of that directory is silently left out and the page says it is complete. A put writes
 * {@code name-UUID} beside its object and renames it, so a listing could also show that temporary file as an
 * object, or stop at it. {@code aws s3 rm --recursive} (listing its next page while it deletes the first) left 565
 * to 1945 of 2500-3000 objects behind on each of four tries. Changes take the shared side of a read-write lock (they
 * still run at once), listings the exclusive side: a listing waits for the puts in flight. Multipart parts need no
 * lock: s3proxy leaves their files out of listings by name before it reads them.
 */
final class ConsistentListingBlobStore extends ForwardingBlobStore {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    ConsistentListingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public PageSet<? extends StorageMetadata> list(String container) {
        return listing(() -> super.list(container));
    }

    @Override
    public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
        return listing(() -> super.list(container, options));
    }

    @Override
    public String putBlob(String container, Blob blob) {
        return change(() -> super.putBlob(container, blob));
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        return change(() -> super.putBlob(container, blob, options));
    }

    @Override
    public String copyBlob(String fromContainer, String fromName, String toContainer, String toName,
                           CopyOptions options) {
        return change(() -> super.copyBlob(fromContainer, fromName, toContainer, toName, options));
    }

    @Override
    public void removeBlob(String container, String name) {
        change(() -> {
            super.removeBlob(container, name);
            return null;
        });
    }

    @Override
    public void removeBlobs(String container, Iterable<String> names) {
        change(() -> {
            super.removeBlobs(container, names);
            return null;
        });
    }

    /** s3proxy stores a stub object named after the upload id while a multipart upload is open. */
    @Override
    public MultipartUpload initiateMultipartUpload(String container, BlobMetadata metadata, PutOptions options) {
        return change(() -> super.initiateMultipartUpload(container, metadata, options));
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        change(() -> {
            super.abortMultipartUpload(upload);
            return null;
        });
    }

    @Override
    public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
        return change(() -> super.completeMultipartUpload(upload, parts));
    }

    private <T> T listing(Supplier<T> list) {
        return locked(lock.writeLock(), list);
    }

    private <T> T change(Supplier<T> change) {
        return locked(lock.readLock(), change);
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
