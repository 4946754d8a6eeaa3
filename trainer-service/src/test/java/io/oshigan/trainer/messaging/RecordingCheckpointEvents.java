package io.oshigan.trainer.messaging;

import io.oshigan.contracts.CheckpointPublished;

import java.util.ArrayList;
import java.util.List;

/** The announcements a unit test's checkpoints make, recorded instead of sent, or refused (not a bean: tests construct it). */
public class RecordingCheckpointEvents extends CheckpointEvents {
    public final List<CheckpointPublished> announced = new ArrayList<>();
    /** How many of the next announcements the broker refuses, as when it is away. */
    public int refusals;

    public RecordingCheckpointEvents() {
        super(null);
    }

    @Override
    public void publish(CheckpointPublished event) {
        if (refusals > 0) {
            refusals--;
            throw new AnnouncementFailedException("the broker is away (test)", null);
        }
        announced.add(event);
    }
}
