package io.oshigan.storage.testing;

import io.oshigan.storage.ReadRetry;
import io.oshigan.storage.StorageException;

import java.util.function.Supplier;

/**
 * A test's stand-in for a service's read policy (libs/service-support {@code TransientRetry.request}, which needs the
 * Fault Tolerance runtime): up to three attempts, 50 and 200 ms apart, while the failure is retryable. Shared with
 * other modules' tests through this module's test jar.
 */
public final class ThreeTries implements ReadRetry {
    public static final ThreeTries POLICY = new ThreeTries();

    private ThreeTries() {
    }

    @Override
    public <T> T read(String what, Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (StorageException e) {
                if (!e.isRetryable() || attempt == 3) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
