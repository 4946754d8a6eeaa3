package io.oshigan.gateway.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A resource method whose body the gateway reads into the heap: {@link BodyLimits} bounds it by its route's limit. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LimitedBody {
    Route value();

    /** The routes with a limit of their own (oshigan.gateway.bodies.*). */
    enum Route { LATENTS, MODEL_IMPORT, TRAINING }
}
