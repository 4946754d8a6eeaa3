package io.oshigan.crop.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScanLeadershipTest {
    static TopicPartition partition(int p) {
        return new TopicPartition("images.uploaded", p);
    }

    @Test
    void theReplicaHoldingPartitionZeroScansAndHandsItOnWhenItLosesIt() {
        ScanLeadership leadership = new ScanLeadership(new SimpleMeterRegistry());
        assertThat(leadership.isLeader()).isFalse();
        leadership.onPartitionsAssigned(null, List.of(partition(1), partition(2)));
        assertThat(leadership.isLeader()).as("partitions 1 and 2 only").isFalse();
        leadership.onPartitionsAssigned(null, List.of(partition(0)));
        assertThat(leadership.isLeader()).isTrue();
        leadership.onPartitionsRevoked(null, List.of(partition(2)));
        assertThat(leadership.isLeader()).as("another partition revoked").isTrue();
        leadership.onPartitionsLost(null, List.of(partition(0)));
        assertThat(leadership.isLeader()).isFalse();
    }
}
