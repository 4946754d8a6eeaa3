package io.oshigan.storage;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The crops excluded from training: one object under {@link ObjectKeys#EXCLUSIONS} each (contracts' CropExclusion). */
public final class CropExclusions {
    private CropExclusions() {
    }

    /** Their crop keys, from one listing of the faces bucket (an exclusion's presence is the exclusion). */
    public static Set<String> of(ObjectStore store) {
        return store.list(Bucket.FACES, ObjectKeys.EXCLUSIONS).stream()
                .map(o -> ObjectKeys.excludedCrop(o.key()))
                .flatMap(Optional::stream).collect(Collectors.toUnmodifiableSet());
    }
}
