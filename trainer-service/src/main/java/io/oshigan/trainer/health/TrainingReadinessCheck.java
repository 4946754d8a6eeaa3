package io.oshigan.trainer.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oshigan.trainer.training.TrainerService;
import io.oshigan.trainer.training.TrainerStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A training loop that failed is not ready, with its reason, and counts in {@code oshigan_trainer_failed} (1 while
 * FAILED): it no longer stops silently while the pod looks healthy. A new run (POST /api/v1/trainer/runs) starts it again.
 */
@Readiness
@io.quarkus.runtime.Startup
@ApplicationScoped
public class TrainingReadinessCheck implements HealthCheck {
    private final TrainerService trainer;

    TrainingReadinessCheck(TrainerService trainer, MeterRegistry metrics) {
        this.trainer = trainer;
        Gauge.builder("oshigan.trainer.failed", trainer, t -> t.status().state() == TrainerStatus.State.FAILED ? 1 : 0)
                .description("1 while the training loop has failed and stopped").register(metrics);
        Gauge.builder("oshigan.trainer.training", trainer, t -> t.status().state() == TrainerStatus.State.TRAINING
                        || t.status().state() == TrainerStatus.State.CHECKPOINTING ? 1 : 0)
                .description("1 while the loop trains (or checkpoints), for the not-training alert").register(metrics);
        Gauge.builder("oshigan.trainer.gpu", trainer, t -> t.status().device() == null ? Double.NaN
                        : t.status().device().startsWith("GPU") ? 1 : 0)
                .description("1 while the run trains on a GPU, 0 on the CPU (the status says which device)").register(metrics);
    }

    @Override
    public HealthCheckResponse call() {
        TrainerStatus status = trainer.status();
        if (status.state() == TrainerStatus.State.FAILED) {
            return HealthCheckResponse.named("training").down()
                    .withData("reason", String.valueOf(status.message())).build();
        }
        return HealthCheckResponse.named("training").up().withData("state", status.state().name())
                .withData("device", String.valueOf(status.device())).build();
    }
}
