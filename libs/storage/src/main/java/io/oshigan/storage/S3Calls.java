package io.oshigan.storage;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;

import java.io.IOException;
import java.util.Set;

/**
 * Runs one MinIO client call and turns its many checked exceptions into a classified {@link StorageException}. Reads
 * ({@link #read}) are tried again twice, shortly, when they fail for a reason that may pass: a server can answer a
 * listing with a 500 while an object in it is being written (s3proxy's filesystem backend does), and a user's request
 * should not fail for that. Longer outages are for the callers' own retry policies.
 */
final class S3Calls {
    static final int READ_ATTEMPTS = 3;
    private static final long[] READ_PAUSES_MS = {50, 150};
    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");
    private static final Set<String> DENIED = Set.of("AccessDenied", "SignatureDoesNotMatch",
            "InvalidAccessKeyId", "RequestTimeTooSkewed");

    interface Call<T> {
        T call() throws Exception;
    }

    private S3Calls() {
    }

    /** An idempotent call (stat, get, list): transient failures are tried again, up to {@value #READ_ATTEMPTS} times. */
    static <T> T read(String what, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return run(what, call);
            } catch (StorageException e) {
                if (e.kind() != StorageException.Kind.TRANSIENT || attempt == READ_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(READ_PAUSES_MS[attempt - 1]);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static <T> T run(String what, Call<T> call) {
        try {
            return call.call();
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            StorageException.Kind kind = NOT_FOUND.contains(code) ? StorageException.Kind.NOT_FOUND
                    : DENIED.contains(code) ? StorageException.Kind.ACCESS_DENIED
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
