package io.oshigan.trainer.messaging;

import io.oshigan.contracts.CheckpointPublished;

import java.util.ArrayList;
import java.util.List;

/** The announcements a unit test's checkpoints make, recorded instead of sent (not a bean: tests construct it). */
public class RecordingCheckpointEvents extends CheckpointEvents {
    public final List<CheckpointPublished> announced = new ArrayList<>();

    public RecordingCheckpointEvents() {
        super(null);
    }

    @Override
    public void publish(CheckpointPublished event) {
        announced.add(event);
    }
}
