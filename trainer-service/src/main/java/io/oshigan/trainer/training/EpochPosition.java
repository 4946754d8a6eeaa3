package io.oshigan.trainer.training;

import io.oshigan.dcgan.TrainingState;
import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.trainer.domain.RunRandom;
import org.jboss.logging.Logger;

import java.nio.file.Path;

/**
 * Where a run stands inside its epoch: the next batch, the epoch's faces and its order over them (null at an epoch's
 * start, which draws them anew).
 */
record EpochPosition(long batchInEpoch, int[] faces, int[] order) {
    private static final Logger LOG = Logger.getLogger(EpochPosition.class);

    /** An epoch's start: its faces and order are drawn by its first batch. */
    static EpochPosition start() {
        return new EpochPosition(0, new int[0], null);
    }

    /**
     * Where a checkpoint's state resumes, with the faces that take part now ({@code dataset}, pending crops admitted):
     * inside its epoch, over that epoch's own faces, where they are all still there and the next batch fits; else at
     * the start of that epoch.
     */
    static EpochPosition resumed(TrainingState state, Path checkpoint, FaceDataset dataset, int batchSize) {
        long batchInEpoch = state.batchInEpoch();
        int epochSize = (int) state.epochDatasetSize();
        if (batchInEpoch == 0) {
            return start();
        }
        int[] active = dataset.activeIndexes();
        // the epoch's own faces where the checkpoint kept them (the data set may have grown since); else the first of
        // those that take part now (a checkpoint from before they were kept)
        var kept = EpochFaces.read(checkpoint);
        var same = kept.flatMap(dataset::indexesOf).filter(faces -> faces.length == epochSize);
        if (kept.isPresent() ? same.isEmpty() : active.length < epochSize) {
            // faces excluded (or lost) since the checkpoint: the epoch it stopped in starts over with those that take
            // part now, rather than failing every restart until they are brought back
            return start();
        }
        if ((batchInEpoch + 1) * batchSize > epochSize) {
            // a larger batch than the checkpoint's (its position counts its own batches): no room for the next one in
            // that epoch, which starts over, rather than reading past its faces at every restart
            LOG.infof("batch %d of epoch %d does not fit %d faces at batch size %d: the epoch starts over",
                    batchInEpoch + 1, state.epoch(), epochSize, batchSize);
            return start();
        }
        int[] faces = same.orElse(java.util.Arrays.copyOf(active, epochSize));
        return new EpochPosition(batchInEpoch, faces, through(RunRandom.shuffle(state.seed(), state.epoch(), epochSize), faces));
    }

    /** The epoch's order over the images that take part: position p of the shuffle is image active[p]. */
    static int[] through(int[] shuffle, int[] active) {
        int[] order = new int[shuffle.length];
        for (int i = 0; i < shuffle.length; i++) {
            order[i] = active[shuffle[i]];
        }
        return order;
    }
}
