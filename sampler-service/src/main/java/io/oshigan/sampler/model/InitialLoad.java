package io.oshigan.sampler.model;

import io.oshigan.sampler.config.SamplerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Loads the newest generator in the background, so the service is live at once and ready when a model is; then
 * checks the models bucket every {@code catch-up-every} for a newer checkpoint whose record this instance missed.
 */
@ApplicationScoped
public class InitialLoad {
    private static final Logger LOG = Logger.getLogger(InitialLoad.class);
    private ScheduledExecutorService scheduler;

    void onStart(@Observes StartupEvent event, ModelRegistry models, SamplerConfig config) {
        io.oshigan.dcgan.CpuFeatures cpu = io.oshigan.dcgan.CpuFeatures.ofThisMachine();
        LOG.infof("generators compute in %s (bf16 where TensorFlow computes it correctly here: checked at the first "
                + "load); CPU: %s", config.precision(), cpu.describe());
        config.precision().slowHere(cpu, false, System.getenv("TF_ENABLE_ONEDNN_OPTS")).ifPresent(LOG::warn);
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sampler-model-loader");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.execute(models::loadInitial);
        long every = config.catchUpEvery().toMillis();
        if (every > 0) {
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    models.catchUp();
                } catch (RuntimeException e) {
                    LOG.warnf("catching up with the models bucket failed, trying again later: %s", e.getMessage());
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
