package io.oshigan.trainer;

import io.oshigan.contracts.CheckpointPublished;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.ObjectStore;
import io.oshigan.testing.LocalStackResource;
import io.oshigan.trainer.messaging.FlakyCheckpointEvents;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the broker refuses announcements, the checkpoint already stored is announced again later; no other is
 * uploaded meanwhile (each try used to upload one more, never announced nor pruned).
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@TestProfile(BrokerAwayTest.BrokerAway.class)
class BrokerAwayTest {
    static final String RUN = "away-" + UUID.randomUUID().toString().substring(0, 8);

    public static class BrokerAway implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FlakyCheckpointEvents.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // a checkpoint every epoch, and the postponement short: several tries while the broker is away
            return Map.of("oshigan.trainer.run.id", RUN, "oshigan.trainer.checkpoint.keep", "100");
        }
    }

    @Inject
    CheckpointStore models;

    @Inject
    ObjectStore store;

    @Test
    void theStoredCheckpointIsAnnouncedAgainNotWrittenAgain() throws Exception {
        TrainerFlowTest.announceFaces(store, 16);
        await().atMost(Duration.ofMinutes(2)).until(() -> FlakyCheckpointEvents.ANNOUNCED.size() >= 2);
        assertThat(FlakyCheckpointEvents.REFUSALS_LEFT.get()).isNegative(); // every refusal happened
        // every checkpoint stored under the run is announced (one stored a moment ago may still be on its way): none
        // was uploaded by a failed try and left behind
        List<Long> stored = models.completeCheckpoints(RUN);
        assertThat(stored).isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(FlakyCheckpointEvents.ANNOUNCED.stream()
                .filter(e -> e.runId().equals(RUN)).map(CheckpointPublished::step).collect(Collectors.toSet()))
                .containsAll(stored));
    }
}
