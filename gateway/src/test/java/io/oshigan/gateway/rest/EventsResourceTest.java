package io.oshigan.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The page's live status stream outlasts a trainer slower than its period. */
class EventsResourceTest {

    /** Each call takes 2.5 periods (a trainer slower than 2 s, within its 5 s timeout): before, the stream failed. */
    @Test
    void aBackendSlowerThanThePeriodSlowsTheStreamAndDoesNotEndIt() {
        AtomicInteger calls = new AtomicInteger();
        AssertSubscriber<String> page = EventsResource.polled(Duration.ofMillis(100), () -> Uni.createFrom()
                        .item(() -> "status " + calls.incrementAndGet()).onItem().delayIt().by(Duration.ofMillis(250)), () -> true)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        page.awaitItems(4, Duration.ofSeconds(10));
        page.assertNotTerminated();
        assertThat(page.getItems()).startsWith("status 1", "status 2", "status 3", "status 4");
        page.cancel();
    }

    /** Once the service begins to stop, every stream ends (the graceful shutdown waited for them until its timeout). */
    @Test
    void aStreamEndsWhenTheServiceBeginsToStop() {
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        AssertSubscriber<String> page = EventsResource.polled(Duration.ofMillis(50), () -> Uni.createFrom().item("s"),
                open::get).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        page.awaitItems(2, Duration.ofSeconds(10));
        open.set(false);
        page.awaitCompletion(Duration.ofSeconds(10));
    }
}
