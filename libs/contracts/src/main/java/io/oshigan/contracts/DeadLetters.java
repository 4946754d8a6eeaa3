package io.oshigan.contracts;

/** Header names on dead-letter records; the same names SmallRye Reactive Messaging's dead-letter strategy writes. */
public final class DeadLetters {
    /** Why the record was rejected, in words precise enough to fix the producer. */
    public static final String REASON_HEADER = "dead-letter-reason";
    /** Class name of the exception that rejected the record. */
    public static final String CAUSE_HEADER = "dead-letter-cause";
    public static final String ORIGINAL_TOPIC_HEADER = "dead-letter-topic";
    public static final String ORIGINAL_PARTITION_HEADER = "dead-letter-partition";
    public static final String ORIGINAL_OFFSET_HEADER = "dead-letter-offset";

    private DeadLetters() {
    }
}
