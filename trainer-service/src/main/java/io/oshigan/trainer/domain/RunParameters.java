package io.oshigan.trainer.domain;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.Precision;
import io.oshigan.dcgan.SmallDataOptions;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * What a user may choose about a run, flat and named as the API ({@code POST /api/v1/runs}) and the configuration
 * ({@code oshigan.trainer.run.*}, whose keys are the defaults) name it. Unset (null) values take the defaults'
 * ({@link #over}); {@link #toSettings} is the one place they become the model's types. A new parameter is one
 * component here, its key in {@code TrainerConfig.Run} and its use in {@link #toSettings}: nothing copies fields
 * one by one, and a test checks that the configuration has a key for every component.
 */
public record RunParameters(String runId, Integer nz, Integer ngf, Integer ndf, Integer batchSize, Float lrG, Float lrD,
                            Float beta1, Float beta2, Integer generatorEvery, Long seed, Boolean labelSmoothing,
                            Boolean diffAugment, Float emaDecay, Precision precision) {

    /** These parameters where they are set, {@code defaults}' where they are not. */
    public RunParameters over(RunParameters defaults) {
        return fromNamed(name -> {
            Object mine = value(name, this);
            return mine != null ? mine : value(name, defaults);
        });
    }

    /**
     * The settings of a run with these parameters (every one set: defaults first, see {@link #over}); what is not a
     * user's choice per request (the wait for data, the checkpoint schedule, the grid) comes from {@code schedule}.
     */
    public RunSettings toSettings(Schedule schedule) {
        for (RecordComponent component : RunParameters.class.getRecordComponents()) {
            if (value(component, this) == null) {
                throw new IllegalArgumentException(component.getName() + " is needed");
            }
        }
        Hyperparameters hyperparameters = Hyperparameters.chosen(lrG, lrD, beta1, beta2,
                labelSmoothing ? Hyperparameters.SMOOTHED_REAL_LABEL : Hyperparameters.DEFAULT_REAL_LABEL, precision);
        return new RunSettings(runId, new Architecture(nz, ngf, ndf), hyperparameters, batchSize, generatorEvery, seed,
                Math.max(schedule.minImages(), batchSize), schedule.checkpointEveryEpochs(),
                schedule.checkpointEveryMinutes(), schedule.gridImages(), new SmallDataOptions(diffAugment, emaDecay));
    }

    /** Parameters read by name: {@code values} gives each component's value (boxed) for its name. */
    public static RunParameters fromNamed(java.util.function.Function<String, Object> values) {
        RecordComponent[] components = RunParameters.class.getRecordComponents();
        Object[] arguments = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            arguments[i] = values.apply(components[i].getName());
            types[i] = components[i].getType();
        }
        try {
            return RunParameters.class.getDeclaredConstructor(types).newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("RunParameters cannot be made from these values", e);
        }
    }

    /** The run-independent part of a run's settings, from the configuration. */
    public record Schedule(int minImages, int checkpointEveryEpochs, int checkpointEveryMinutes, int gridImages) {
    }

    private static Object value(String name, RunParameters from) {
        for (RecordComponent component : RunParameters.class.getRecordComponents()) {
            if (component.getName().equals(name)) {
                return value(component, from);
            }
        }
        throw new IllegalArgumentException("no parameter " + name);
    }

    private static Object value(RecordComponent component, RunParameters from) {
        try {
            return component.getAccessor().invoke(from);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("reading " + component.getName(), e);
        }
    }
}
