package io.oshigan.gateway.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The one write an upload key ({@code upload-keys}) is good for, as {@link ApiKeys} checks it: uploading images. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UploadKeyWrite {
}
