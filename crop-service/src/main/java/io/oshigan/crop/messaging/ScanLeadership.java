package io.oshigan.crop.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which replica runs the periodic reconciliation scan: the one the consumer group gave partition 0 of
 * {@code images.uploaded}. Kafka's group membership is the election; a replica that dies hands the partition, and
 * the scan, to another. Without it every replica listed the whole bucket and raced the others over the same uploads.
 */
@Identifier(ScanLeadership.NAME)
@jakarta.enterprise.inject.Default
@ApplicationScoped
public class ScanLeadership implements KafkaConsumerRebalanceListener {
    public static final String NAME = "crop-scan-leadership";
    private static final Logger LOG = Logger.getLogger(ScanLeadership.class);

    private final AtomicBoolean leader = new AtomicBoolean();

    ScanLeadership(MeterRegistry metrics) {
        Gauge.builder("oshigan.crop.scan.leader", leader, l -> l.get() ? 1 : 0)
                .description("1 on the replica that runs the periodic reconciliation scan").register(metrics);
    }

    public boolean isLeader() {
        return leader.get();
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (holdsFirst(partitions) && !leader.getAndSet(true)) {
            LOG.info("this replica holds partition 0 of the uploads: it runs the reconciliation scan");
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (holdsFirst(partitions)) {
            leader.set(false);
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    private static boolean holdsFirst(Collection<TopicPartition> partitions) {
        return partitions.stream().anyMatch(p -> p.partition() == 0);
    }
}
