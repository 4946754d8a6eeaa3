package io.oshigan.contracts;

import java.time.Instant;

/**
 * A face crop kept out of training (a false face of the cascade, a bad crop): stored in the faces bucket under
 * {@code exclusions/<crop key>.json} (libs/storage {@code ObjectKeys.exclusion}) by the gateway when a keyholder
 * excludes it, removed when it is brought back. Its presence is the exclusion; the trainer lists them at every epoch
 * boundary and at resume, so an exclusion holds from the next epoch on, across restarts and resumed runs.
 *
 * @param cropKey the excluded crop's key in the faces bucket ({@code crops/...})
 */
public record CropExclusion(int schemaVersion, String cropKey, Instant excludedAt) implements Contract {
    public static final int SCHEMA_VERSION = 1;
    public static final EventCodec<CropExclusion> CODEC = EventCodec.versioned("crop-exclusion", CropExclusion.class, SCHEMA_VERSION);

    public static CropExclusion of(String cropKey, Instant now) {
        return new CropExclusion(SCHEMA_VERSION, cropKey, now);
    }

    @Override
    public void check(Checks checks) {
        checks.require(schemaVersion == SCHEMA_VERSION, "schemaVersion", "must be " + SCHEMA_VERSION + " but is " + schemaVersion);
        checks.notBlank(cropKey, "cropKey")
                .require(cropKey == null || cropKey.startsWith("crops/"), "cropKey", "must start with crops/ but is " + cropKey)
                .notNull(excludedAt, "excludedAt");
    }
}
