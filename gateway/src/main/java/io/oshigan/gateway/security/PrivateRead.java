package io.oshigan.gateway.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A read of what people uploaded (a resource method, or every method of a resource class): {@link ApiKeys} asks a key
 * of either kind for it always, whatever the path's spelling (a trailing slash, a matrix parameter, a doubled slash).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface PrivateRead {
}
