package io.oshigan.contracts;

/**
 * The Kafka topics of the pipeline. Each consumed topic has a dead-letter twin named {@code <topic>.dlq}
 * that carries the original record unchanged plus a {@link DeadLetters#REASON_HEADER} header.
 */
public enum Topic {
    /** MinIO bucket notifications for bucket "raw"; key {@code bucket/object-key}. Partitions bound crop parallelism. */
    IMAGES_UPLOADED("images.uploaded", 4),
    /** One record per stored crop; key = crop object key. */
    FACES_CROPPED("faces.cropped", 4),
    /** One record per published checkpoint; key = run id. One partition keeps checkpoints in order. */
    CHECKPOINTS_PUBLISHED("checkpoints.published", 1);

    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    private final String topicName;
    private final int partitions;

    Topic(String topicName, int partitions) {
        this.topicName = topicName;
        this.partitions = partitions;
    }

    public String topicName() {
        return topicName;
    }

    public int partitions() {
        return partitions;
    }

    public String deadLetterTopicName() {
        return topicName + DEAD_LETTER_SUFFIX;
    }
}
