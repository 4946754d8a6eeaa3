package io.oshigan.storage;

import java.util.function.Supplier;

/**
 * How an {@link ObjectStore} repeats an idempotent read (stat, get, list) that failed with a
 * {@linkplain StorageException#isRetryable() retryable} {@link StorageException}: a server can answer a listing with
 * a 500 while an object in it is being written (s3proxy's filesystem backend does), and a request should not fail
 * for that. The library has no retry policy of its own: a service plugs in its one retry mechanism (libs/service-support
 * {@code TransientRetry}, SmallRye Fault Tolerance); anything else gets one attempt ({@link #NONE}).
 */
@FunctionalInterface
public interface ReadRetry {
    ReadRetry NONE = new ReadRetry() {
        @Override
        public <T> T read(String what, Supplier<T> read) {
            return read.get();
        }
    };

    /** Runs {@code read}, again while it throws a retryable {@link StorageException}; then throws that exception. */
    <T> T read(String what, Supplier<T> read);
}
