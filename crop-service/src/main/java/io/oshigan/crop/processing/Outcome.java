package io.oshigan.crop.processing;

/** What processing one upload came to. */
public enum Outcome {
    CROPPED, NO_FACE,
    /** A manifest exists: a replay or a second look; nothing was written or published. */
    ALREADY_PROCESSED,
    /** The object has been overwritten since the event; the newer version is processed on its own. */
    SUPERSEDED;

    public String label() {
        return name().toLowerCase().replace('_', '-');
    }
}
