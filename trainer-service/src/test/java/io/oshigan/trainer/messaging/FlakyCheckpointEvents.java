package io.oshigan.trainer.messaging;

import io.oshigan.contracts.CheckpointPublished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A broker that refuses the first announcements, as one that is restarting does. An alternative without a priority:
 * only the test profile that names it enables it, every other test gets the real one.
 */
@Alternative
@ApplicationScoped
public class FlakyCheckpointEvents extends CheckpointEvents {
    public static final AtomicInteger REFUSALS_LEFT = new AtomicInteger(3);
    public static final List<CheckpointPublished> ANNOUNCED = new CopyOnWriteArrayList<>();

    FlakyCheckpointEvents() {
        super(null);
    }

    @Override
    public void publish(CheckpointPublished event) {
        if (REFUSALS_LEFT.getAndDecrement() > 0) {
            throw new AnnouncementFailedException("checkpoint " + event.runId() + "@" + event.step()
                    + " was not announced: the broker is away (test)", null);
        }
        ANNOUNCED.add(event);
    }
}
