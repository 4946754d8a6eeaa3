package io.oshigan.support.storage;

import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StorageSettings;
import io.oshigan.support.config.S3Config;
import io.oshigan.support.retry.TransientRetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.net.URI;

/**
 * One {@link ObjectStore} per service, its reads retried by {@link TransientRetry#request}, closed on shutdown (the
 * MinIO client's threads would keep the JVM alive).
 */
@ApplicationScoped
public class ObjectStoreProducer {

    @Produces
    @Singleton
    ObjectStore objectStore(S3Config config, TransientRetry retry) {
        // every read a service makes (requests included) gets the short policy of the one retry mechanism
        return ObjectStore.connect(new StorageSettings(URI.create(config.endpoint()), config.accessKey(),
                config.secretKey(), config.region()), retry::request);
    }

    @Produces
    @Singleton
    CheckpointStore checkpointStore(ObjectStore store) {
        return new CheckpointStore(store);
    }

    void close(@Disposes ObjectStore store) {
        store.close();
    }
}
