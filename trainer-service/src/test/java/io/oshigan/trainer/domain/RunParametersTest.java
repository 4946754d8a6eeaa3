package io.oshigan.trainer.domain;

import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.Precision;
import io.oshigan.trainer.config.TrainerConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunParametersTest {
    private static final RunParameters DEFAULTS = new RunParameters("run-1", 100, 64, 64, 128, 1e-4f, 1e-5f, 0.9f,
            0.999f, 2, 42L, false, false, 0f, Precision.FP32);
    private static final RunParameters.Schedule SCHEDULE = new RunParameters.Schedule(0, 10, 15, 64);

    @Test
    void setValuesWinAndUnsetOnesComeFromTheDefaults() {
        RunParameters request = new RunParameters("mine", null, 32, null, 16, 5e-4f, null, 0.5f, null, 1, null, true,
                null, 0.999f, Precision.BF16);

        RunSettings settings = request.over(DEFAULTS).toSettings(SCHEDULE);

        assertThat(settings.runId()).isEqualTo("mine");
        assertThat(settings.architecture().nz()).isEqualTo(100);
        assertThat(settings.architecture().ngf()).isEqualTo(32);
        assertThat(settings.architecture().ndf()).isEqualTo(64);
        assertThat(settings.batchSize()).isEqualTo(16);
        assertThat(settings.minImages()).as("at least a batch").isEqualTo(16);
        assertThat(settings.generatorEvery()).isEqualTo(1);
        assertThat(settings.seed()).isEqualTo(42L);
        assertThat(settings.hyperparameters()).isEqualTo(new Hyperparameters(5e-4f, 1e-5f, 0.5f, 0.999f,
                Hyperparameters.DEFAULT_ADAM_EPSILON, Hyperparameters.DEFAULT_BN_EPSILON,
                Hyperparameters.DEFAULT_BN_MOMENTUM, Hyperparameters.DEFAULT_LEAKY_SLOPE, Hyperparameters.SMOOTHED_REAL_LABEL,
                Precision.BF16));
        assertThat(settings.smallData().diffAugment()).isFalse();
        assertThat(settings.smallData().emaDecay()).isEqualTo(0.999f);
        assertThat(settings.checkpointEveryEpochs()).isEqualTo(10);
        assertThat(settings.gridImages()).isEqualTo(64);
    }

    @Test
    void aMissingValueOrAnOutOfRangeOneIsRefusedWithItsName() {
        RunParameters partial = new RunParameters("x", 100, 64, 64, 128, 1e-4f, 1e-5f, 0.9f, 0.999f, 2, null, false,
                false, 0f, Precision.FP32);
        assertThatThrownBy(() -> partial.toSettings(SCHEDULE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seed is needed");
        RunParameters badRate = new RunParameters("x", null, null, null, null, Float.NaN, null, null, null, null, null,
                null, null, null, null);
        assertThatThrownBy(() -> badRate.over(DEFAULTS).toSettings(SCHEDULE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learning rate of G");
    }

    @Test
    void theConfigurationHasAKeyOfTheSameNameAndTypeForEveryParameter() throws Exception {
        Map<Class<?>, Class<?>> boxed = Map.of(int.class, Integer.class, long.class, Long.class, float.class,
                Float.class, boolean.class, Boolean.class);
        for (RecordComponent component : RunParameters.class.getRecordComponents()) {
            Method key = TrainerConfig.Run.class.getMethod(component.getName());
            assertThat(boxed.getOrDefault(key.getReturnType(), key.getReturnType())).as(component.getName())
                    .isEqualTo(component.getType());
        }
    }
}
