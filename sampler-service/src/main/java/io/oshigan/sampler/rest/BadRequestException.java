package io.oshigan.sampler.rest;

/** A request parameter that cannot be served; the message says which and why. */
public class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message);
    }
}
