package io.oshigan.sampler.model;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Loads the newest generator in the background, so the service is live at once and ready when a model is. */
@ApplicationScoped
public class InitialLoad {
    void onStart(@Observes StartupEvent event, ModelRegistry models) {
        Thread loader = new Thread(models::loadInitial, "sampler-initial-load");
        loader.setDaemon(true);
        loader.start();
    }
}
