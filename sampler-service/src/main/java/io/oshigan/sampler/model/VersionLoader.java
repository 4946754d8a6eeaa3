package io.oshigan.sampler.model;

import io.oshigan.dcgan.DiscriminatorGraph;
import io.oshigan.storage.VersionId;

/** Builds what serves a version (downloads, graphs, warm-up): slow, and never under a lock requests take. */
public interface VersionLoader {

    /** @throws RuntimeException with the reason when the checkpoint cannot be loaded */
    GeneratorVersion load(VersionId id);

    /** The discriminator saved with the version's checkpoint, for ranking samples. */
    DiscriminatorGraph loadScorer(GeneratorVersion version);
}
