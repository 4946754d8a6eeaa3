package io.oshigan.contracts;

/**
 * The files of one checkpoint directory, written by the trainer (libs/dcgan {@code Checkpoints}), moved to and from
 * the models bucket (libs/storage {@code CheckpointStore}) and read by the sampler and the gateway:
 * <pre>
 * manifest.json   format, architecture, hyper-parameters, step, losses; written (and uploaded) last, so its presence
 *                 makes the checkpoint complete
 * checkpoint/     TensorFlow checkpoint "model.*" of every variable, enough to resume exactly
 * generator/      SavedModel of G in inference mode
 * epoch-faces.txt.gz  (the trainer's own, only in a checkpoint taken inside an epoch) the crop keys of that epoch, in
 *                 its order, gzip text: a resumed run trains that epoch on the same faces
 * </pre>
 */
public final class CheckpointLayout {
    public static final String MANIFEST = "manifest.json";
    public static final String CHECKPOINT_DIR = "checkpoint";
    public static final String GENERATOR_DIR = "generator";
    public static final String EPOCH_FACES = "epoch-faces.txt.gz";

    private CheckpointLayout() {
    }
}
