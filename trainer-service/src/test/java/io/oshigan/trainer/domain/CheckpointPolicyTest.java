package io.oshigan.trainer.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointPolicyTest {

    @Test
    void everyNthEpochEndAndAfterTheMinutesAndADueOneStaysDueUntilStored() {
        CheckpointPolicy policy = new CheckpointPolicy(10, 15);
        assertThat(policy.afterBatch(false, 9, 0)).isFalse();
        assertThat(policy.afterBatch(true, 9, 0)).as("epoch 9 of every 10").isFalse();
        assertThat(policy.afterBatch(true, 10, 0)).isTrue();
        assertThat(policy.afterBatch(false, 10, 0)).as("not stored yet (an outage): still due").isTrue();
        policy.stored();
        assertThat(policy.afterBatch(false, 10, 0)).isFalse();
        assertThat(policy.afterBatch(false, 11, 15)).as("15 minutes since the last").isTrue();
    }
}
