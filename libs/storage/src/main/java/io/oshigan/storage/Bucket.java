package io.oshigan.storage;

import java.util.Arrays;
import java.util.Optional;

/** The buckets of the pipeline; the only place that names them. */
public enum Bucket {
    /** What people upload: fan art, screenshots. Object-created events go to Kafka. */
    RAW("raw"),
    /** 96x96 PNG face crops and one manifest per processed upload. */
    FACES("faces"),
    /** Training checkpoints, exported generators and progress grids. */
    MODELS("models");

    private final String bucketName;

    Bucket(String bucketName) {
        this.bucketName = bucketName;
    }

    public String bucketName() {
        return bucketName;
    }

    public static Optional<Bucket> byName(String bucketName) {
        return Arrays.stream(values()).filter(b -> b.bucketName.equals(bucketName)).findFirst();
    }
}
