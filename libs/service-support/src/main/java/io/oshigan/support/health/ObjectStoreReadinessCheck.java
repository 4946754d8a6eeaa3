package io.oshigan.support.health;

import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the S3 server answers signed requests and every pipeline bucket exists. */
@Readiness
@ApplicationScoped
public class ObjectStoreReadinessCheck implements HealthCheck {
    static final String NAME = "object-store";

    @Inject
    ObjectStore store;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("endpoint", store.settings().endpoint().toString());
        try {
            boolean allThere = true;
            for (Bucket bucket : Bucket.values()) {
                boolean exists = store.bucketExists(bucket);
                response.withData("bucket." + bucket.bucketName(), exists ? "present" : "missing");
                allThere &= exists;
            }
            return response.status(allThere).build();
        } catch (StorageException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
