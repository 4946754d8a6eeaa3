package io.oshigan.sampler.model;

/** No generator is loaded yet, or the version asked for is not known: the request cannot be served. */
public class NoModelException extends RuntimeException {
    private final boolean unknownVersion;

    public NoModelException(String message, boolean unknownVersion) {
        super(message);
        this.unknownVersion = unknownVersion;
    }

    public boolean unknownVersion() {
        return unknownVersion;
    }
}
