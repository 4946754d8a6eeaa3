package io.oshigan.support.retry;

import io.oshigan.storage.StorageException;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;

import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * The one retry mechanism of the services (SmallRye Fault Tolerance), with two policies. Both repeat a call only
 * while it fails for a reason that may pass ({@link #mayPass}): an S3 failure that
 * {@linkplain StorageException#isRetryable() is retryable} (network, server errors) or a Kafka failure (broker
 * unavailable, timeouts). Everything else is thrown at once: a missing object is an answer, refused credentials and
 * malformed requests would fail the same way on every try.
 * <ul>
 * <li>{@link #call}: background work (a crop, a fetched face, a checkpoint) waits an outage out: 200 ms doubling
 * to 15 s, for up to 2 minutes, then {@link TransientFailureException}. Override with MicroProfile Fault Tolerance
 * keys, e.g. {@code io.oshigan.support.retry.TransientRetry/call/Retry/maxDuration}.</li>
 * <li>{@link #request}: a read someone is waiting on (every read of the service's object store): two more tries
 * after 50 and 150 ms, then the read's own exception.</li>
 * </ul>
 */
@ApplicationScoped
public class TransientRetry {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TransientRetry.class);
    /** Made at the first read: a subclass made outside CDI (a unit test's stub) needs no Fault Tolerance runtime. */
    private volatile Guard requestReads;

    private Guard requestReads() {
        Guard guard = requestReads;
        if (guard == null) {
            guard = Guard.create().withRetry().maxRetries(2).delay(50, ChronoUnit.MILLIS).jitter(0, ChronoUnit.MILLIS)
                    .maxDuration(2, ChronoUnit.SECONDS).whenException(TransientRetry::mayPass)
                    .withExponentialBackoff().factor(3).maxDelay(150, ChronoUnit.MILLIS).done()
                    .done().build();
            requestReads = guard; // two made at once: either serves, they hold no state between calls
        }
        return guard;
    }

    @Retry(maxRetries = -1, delay = 200, jitter = 100, maxDuration = 120_000, retryOn = TransientFailureException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 15_000)
    public <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (TransientFailureException e) {
            throw e;
        } catch (RuntimeException e) {
            if (mayPass(e)) {
                throw new TransientFailureException(what, e);
            }
            throw e;
        }
    }

    /**
     * {@link #call}, given up at the next attempt once {@code cancelled} says so (a service stopping while S3 is
     * away): {@link RetryCancelledException} instead of waiting out the rest of the round.
     */
    public <T> T call(String what, Supplier<T> action, java.util.function.BooleanSupplier cancelled) {
        return call(what, () -> {
            if (cancelled.getAsBoolean()) {
                throw new RetryCancelledException(what);
            }
            return action.get();
        });
    }

    /**
     * Round after round of {@link #call} until {@code action} succeeds, or {@code cancelled} says so
     * ({@link RetryCancelledException}): for what a service cannot go on without (the trainer's listing at start, a
     * run's resume), where S3 or Kafka away for longer than a round is waited out, not a failure. Each round's end is
     * logged; a failure that cannot pass is thrown at once.
     */
    public <T> T untilDone(String what, Supplier<T> action, java.util.function.BooleanSupplier cancelled) {
        while (true) {
            try {
                return call(what, action, cancelled);
            } catch (TransientFailureException e) {
                LOG.warnf("%s still fails after a round of retries (%s); waiting on", what, e.getMessage());
            }
        }
    }

    public void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    /** The short policy, for {@link io.oshigan.storage.ReadRetry}: {@code what} names the read in the exception. */
    @SuppressWarnings("unchecked")
    public <T> T request(String what, Supplier<T> read) {
        return (T) requestReads().get((Supplier<Object>) read, Object.class);
    }

    /** Whether the same call may well succeed later. */
    public static boolean mayPass(Throwable failure) {
        if (failure instanceof StorageException storage) {
            return storage.isRetryable();
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.KafkaException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
