package io.oshigan.storage;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;

import java.io.IOException;
import java.util.Set;

/**
 * Runs one MinIO client call and turns its many checked exceptions into a classified {@link StorageException}.
 * Reads go through the store's {@link ReadRetry}; writes are never repeated here.
 */
final class S3Calls {
    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");
    private static final Set<String> DENIED = Set.of("AccessDenied", "SignatureDoesNotMatch",
            "InvalidAccessKeyId", "RequestTimeTooSkewed");

    interface Call<T> {
        T call() throws Exception;
    }

    private S3Calls() {
    }

    /** An idempotent call (stat, get, list), repeated by {@code retry} while it fails for a reason that may pass. */
    static <T> T read(String what, ReadRetry retry, Call<T> call) {
        return retry.read(what, () -> run(what, call));
    }

    static <T> T run(String what, Call<T> call) {
        try {
            return call.call();
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            StorageException.Kind kind = NOT_FOUND.contains(code) ? StorageException.Kind.NOT_FOUND
                    : DENIED.contains(code) ? StorageException.Kind.ACCESS_DENIED
                    : "PreconditionFailed".equals(code) ? StorageException.Kind.PRECONDITION_FAILED
                    : e.response() != null && e.response().code() >= 500 ? StorageException.Kind.TRANSIENT
                    : StorageException.Kind.PERMANENT;
            throw new StorageException(kind, what + " failed: " + code + ": " + e.errorResponse().message(), e);
        } catch (ServerException | IOException e) {
            throw new StorageException(StorageException.Kind.TRANSIENT, what + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageException(StorageException.Kind.PERMANENT, what + " failed: " + e, e);
        }
    }
}
