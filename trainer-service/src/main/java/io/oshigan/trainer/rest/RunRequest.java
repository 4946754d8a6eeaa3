package io.oshigan.trainer.rest;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.trainer.domain.RunSettings;

/** A new run: its id, and any settings that differ from the configured defaults. */
public record RunRequest(String runId, Integer nz, Integer ngf, Integer ndf, Integer batchSize, Float lrG, Float lrD,
                         Float beta1, Float beta2, Integer generatorEvery, Long seed, Boolean labelSmoothing,
                         Boolean diffAugment, Float emaDecay) {

    RunSettings applyTo(RunSettings defaults) {
        Architecture a = defaults.architecture();
        Hyperparameters hp = defaults.hyperparameters()
                .withLearningRates(or(lrG, hp(defaults).learningRateG()), or(lrD, hp(defaults).learningRateD()))
                .withBetas(or(beta1, hp(defaults).beta1()), or(beta2, hp(defaults).beta2()));
        if (labelSmoothing != null) {
            hp = hp.withRealLabel(labelSmoothing ? Hyperparameters.SMOOTHED_REAL_LABEL : Hyperparameters.DEFAULT_REAL_LABEL);
        }
        int batch = or(batchSize, defaults.batchSize());
        return new RunSettings(runId, new Architecture(or(nz, a.nz()), or(ngf, a.ngf()), or(ndf, a.ndf())), hp, batch,
                or(generatorEvery, defaults.generatorEvery()), or(seed, defaults.seed()),
                Math.max(defaults.minImages(), batch), defaults.checkpointEveryEpochs(), defaults.checkpointEveryMinutes(),
                defaults.gridImages(), new io.oshigan.dcgan.SmallDataOptions(
                        or(diffAugment, defaults.smallData().diffAugment()), or(emaDecay, defaults.smallData().emaDecay())));
    }

    private static Hyperparameters hp(RunSettings s) {
        return s.hyperparameters();
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
