package io.oshigan.support.retry;

import io.oshigan.storage.StorageException;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;

import java.util.function.Supplier;

/**
 * Retries one S3 or Kafka call with exponential backoff while it fails for reasons that may pass: S3 failures of kind
 * {@link StorageException.Kind#TRANSIENT} (network, server errors) and Kafka failures (broker unavailable, timeouts).
 * Everything else is thrown at once: a missing object is an answer, refused credentials and malformed requests
 * would fail the same way on every try. Override the limits with MicroProfile Fault Tolerance keys, e.g.
 * {@code io.oshigan.support.retry.TransientRetry/call/Retry/maxDuration}.
 */
@ApplicationScoped
public class TransientRetry {

    @Retry(maxRetries = -1, delay = 200, jitter = 100, maxDuration = 120_000, retryOn = TransientFailureException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 15_000)
    public <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (StorageException e) {
            if (!e.isRetryable()) {
                throw e;
            }
            throw new TransientFailureException(what, e);
        } catch (TransientFailureException e) {
            throw e;
        } catch (RuntimeException e) {
            if (isKafkaFailure(e)) {
                throw new TransientFailureException(what, e);
            }
            throw e;
        }
    }

    public void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    private static boolean isKafkaFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.KafkaException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
