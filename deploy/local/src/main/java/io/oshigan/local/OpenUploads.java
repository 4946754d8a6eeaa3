package io.oshigan.local;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The multipart uploads s3proxy holds open, known by the stub blob it stores for each: s3proxy's handler puts a blob
 * named after the upload id when the upload starts (S3 takes the object's metadata then) and removes it once the
 * upload is completed or aborted. That stub is no object: it is neither announced nor listed. One set for the local
 * stack, kept by {@link ConsistentListingBlobStore} (which sees both ends of an upload) and read by every wrapper.
 */
final class OpenUploads {
    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    /** An upload was started: its stub, named {@code id}, comes next. */
    void opened(String id) {
        ids.add(id);
    }

    /** The blob {@code name} was removed: if it was an upload's stub, that upload is over. */
    void removed(String name) {
        ids.remove(name);
    }

    /** Whether {@code name} is the stub of an upload still open. */
    boolean isStub(String name) {
        return ids.contains(name);
    }
}
