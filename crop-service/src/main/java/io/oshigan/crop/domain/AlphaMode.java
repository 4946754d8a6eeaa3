package io.oshigan.crop.domain;

/** What to do with transparency. */
public enum AlphaMode {
    /** As the reference (cv2.IMREAD_COLOR): keep the colour channels as stored, ignore alpha. */
    DROP,
    /** Composite onto white first: sprites with transparent backgrounds then look like drawn on paper. */
    WHITE
}
