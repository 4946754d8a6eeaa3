package io.oshigan.testkit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/** Reads a topic from its beginning with a fresh consumer group and keeps everything it has seen. */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private static final Duration END_TIMEOUT = Duration.ofSeconds(60);
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Polls until a record matches, then returns it; fails after the timeout. */
    public ConsumerRecord<String, byte[]> awaitFirst(Predicate<ConsumerRecord<String, byte[]>> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : seen) {
                if (match.test(record)) {
                    return record;
                }
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        throw new AssertionError("no matching record within " + timeout + "; seen keys: "
                + seen.stream().map(ConsumerRecord::key).toList());
    }

    /**
     * Every matching record the topic holds now: reads up to the end offsets of all its partitions as they are at
     * this call, however long that takes (no settle time to guess). Call it once whatever could write a record has
     * written it, e.g. after a duplicate would have been sent: a duplicate is then certain to be counted.
     */
    public List<ConsumerRecord<String, byte[]>> allUntilEnd(Predicate<ConsumerRecord<String, byte[]>> match) {
        long deadline = System.nanoTime() + END_TIMEOUT.toNanos();
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            requireBefore(deadline, "no partition was assigned");
        }
        Set<TopicPartition> partitions = consumer.assignment();
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            requireBefore(deadline, "the end offsets " + ends + " were not reached");
        }
        return seen.stream().filter(match).toList();
    }

    private void requireBefore(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new AssertionError(what + " within " + END_TIMEOUT + "; seen keys: " + seen.stream().map(ConsumerRecord::key).toList());
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
