package io.oshigan.trainer.training;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.CheckpointManifest;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import io.oshigan.dcgan.TrainingGraph;
import io.oshigan.dcgan.TrainingState;
import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.trainer.domain.RunRandom;
import io.oshigan.trainer.domain.RunSettings;
import org.tensorflow.types.TFloat32;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The training loop of one run, a batch at a time, free of any framework: D every batch, G every n-th batch, fresh
 * noise every step, epochs over a seeded shuffle with the last partial batch dropped. Position and seed live in the
 * graph's state variables, and a checkpoint taken inside an epoch keeps that epoch's faces ({@link EpochFaces}), so a
 * checkpoint resumes exactly where it was taken, crops that joined the bucket since or not.
 */
public final class TrainingRun implements AutoCloseable {
    /** What one batch did; lossG is NaN on batches without a G step. */
    public record Step(long step, long epoch, float lossD, float lossG, boolean epochEnded) {
    }

    /** Its seed the checkpoint's once resumed: the order of faces, the noise and the grid's all come from it. */
    private RunSettings settings;
    private final TrainingGraph graph;
    private final FaceDataset dataset;
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TrainingRun.class);
    private long step;
    private long epoch;
    private long batchInEpoch;
    /** The ordinal of the run's last checkpoint stored (0: none yet); the next one written is one more. */
    private long checkpointsStored;
    private int epochSize;
    private int[] order;
    /** The images of the epoch under way, in the order its shuffle goes through. */
    private int[] epochFaces = new int[0];
    private final LossMeans epochLosses = new LossMeans();

    public TrainingRun(RunSettings settings, FaceDataset dataset, SessionThreads threads) {
        this.settings = settings;
        this.dataset = dataset;
        this.graph = TrainingGraph.builder(settings.architecture(), settings.hyperparameters())
                .seed(settings.seed()).threads(threads).fixedNoise(settings.gridImages())
                .smallData(settings.smallData(), settings.batchSize()).build();
    }

    /** Continues from a checkpoint directory; the run's seed and position come from it. */
    public CheckpointManifest resume(Path checkpoint) {
        CheckpointManifest manifest = Checkpoints.restore(graph, checkpoint);
        checkpointsStored = manifest.ordinal();
        TrainingState state = graph.state();
        if (state.seed() != settings.seed()) {
            // the seed is the run's, as its architecture is: the resumed epoch's shuffle used the checkpoint's and
            // everything after the settings', so neither seed's run was continued
            LOG.warnf("run %s continues with its checkpoint's seed %d, not %d from its settings", settings.runId(),
                    state.seed(), settings.seed());
            settings = settings.withSeed(state.seed());
        }
        dataset.admitPending();
        step = state.step();
        epoch = state.epoch();
        epochSize = (int) state.epochDatasetSize();
        EpochPosition position = EpochPosition.resumed(state, checkpoint, dataset, settings.batchSize());
        batchInEpoch = position.batchInEpoch();
        epochFaces = position.faces();
        order = position.order();
        return manifest;
    }

    /** True when the next batch starts an epoch and the data set (queued crops included) is still too small. */
    public boolean waitingForData() {
        return batchInEpoch == 0 && dataset.takingPart() < settings.minImages();
    }

    /** Whether the next batch starts an epoch: the moment exclusions and queued crops take effect. */
    public boolean atEpochStart() {
        return batchInEpoch == 0;
    }

    public Step trainBatch() {
        if (batchInEpoch == 0) {
            dataset.admitPending();
            epochFaces = dataset.activeIndexes();
            epochSize = epochFaces.length;
            order = EpochPosition.through(RunRandom.shuffle(settings.seed(), epoch, epochSize), epochFaces);
            epochLosses.reset();
        }
        int batch = settings.batchSize();
        int nz = settings.architecture().nz();
        int[] indexes = new int[batch];
        System.arraycopy(order, (int) batchInEpoch * batch, indexes, 0, batch);
        float lossG = Float.NaN;
        float lossD;
        try (TFloat32 real = Tensors.of(dataset.batch(indexes), batch, Architecture.IMAGE_SIZE, Architecture.IMAGE_SIZE, Architecture.CHANNELS);
             TFloat32 z = Tensors.of(RunRandom.noiseForDiscriminatorStep(settings.seed(), step, batch, nz), batch, 1, 1, nz);
             TFloat32 augmentReal = augmentation(RunRandom.AugmentTarget.REAL);
             TFloat32 augmentFake = augmentation(RunRandom.AugmentTarget.FAKE_FOR_D)) {
            lossD = graph.trainDiscriminator(real, z, augmentReal, augmentFake);
        }
        if ((batchInEpoch + 1) % settings.generatorEvery() == 0) {
            try (TFloat32 z = Tensors.of(RunRandom.noiseForGeneratorStep(settings.seed(), step, batch, nz), batch, 1, 1, nz);
                 TFloat32 augmentFake = augmentation(RunRandom.AugmentTarget.FAKE_FOR_G)) {
                lossG = graph.trainGenerator(z, augmentFake);
            }
        }
        epochLosses.add(lossD, lossG);
        step++;
        batchInEpoch++;
        boolean epochEnded = batchInEpoch >= epochSize / batch;
        if (epochEnded) {
            epoch++;
            batchInEpoch = 0;
        }
        return new Step(step, epoch, lossD, lossG, epochEnded);
    }

    /** This step's DiffAugment parameters for one input of D, or null when augmentation is off. */
    private TFloat32 augmentation(RunRandom.AugmentTarget target) {
        if (!settings.smallData().diffAugment()) {
            return null;
        }
        int batch = settings.batchSize();
        return Tensors.of(RunRandom.augmentation(settings.seed(), step, target, batch), batch, io.oshigan.dcgan.DiffAugment.PARAMS);
    }

    /** The fixed-noise grid images, in inference mode (running statistics): [n,96,96,3] flattened. */
    public float[] gridImages() {
        int n = settings.gridImages();
        int nz = settings.architecture().nz();
        try (TFloat32 z = Tensors.of(RunRandom.fixedNoise(settings.seed(), n, nz), n, 1, 1, nz)) {
            return graph.generate(z);
        }
    }

    /** Where TensorFlow runs the graph, for the log: CPU or GPU device names. */
    public java.util.Set<String> devices() {
        int nz = settings.architecture().nz();
        try (TFloat32 z = Tensors.of(RunRandom.fixedNoise(settings.seed(), 1, nz), 1, 1, 1, nz)) {
            return graph.devices(z);
        }
    }

    public CheckpointManifest writeCheckpoint(Path directory, Instant now) {
        graph.setState(new TrainingState(step, epoch, batchInEpoch, epochSize, settings.seed(),
                RunRandom.fixedNoise(settings.seed(), settings.gridImages(), settings.architecture().nz())));
        CheckpointManifest manifest = Checkpoints.write(graph, directory, epochSize, epochLosses.meanD(),
                epochLosses.meanG(), now, checkpointsStored + 1);
        if (batchInEpoch > 0) {
            EpochFaces.write(directory, dataset.keysOf(epochFaces));
        }
        return manifest;
    }

    /** The checkpoint written last is stored: the next one written counts on from its ordinal. */
    public void stored(CheckpointManifest manifest) {
        checkpointsStored = manifest.ordinal();
    }

    public long step() {
        return step;
    }

    public long epoch() {
        return epoch;
    }

    public int batchesPerEpoch() {
        return Math.max(1, (batchInEpoch == 0 ? dataset.size() - dataset.excludedCount() : epochSize) / settings.batchSize());
    }

    public long batchInEpoch() {
        return batchInEpoch;
    }

    public LossMeans epochLosses() {
        return epochLosses;
    }

    /** What the run computes in: its settings' precision, or fp32 where bf16 was asked for and failed its check. */
    public io.oshigan.dcgan.Precision precision() {
        return graph.hyperparameters().precision();
    }

    /** Which weight gradients the run takes in float32, as its graph was built. */
    public io.oshigan.dcgan.Fp32WeightGradients fp32WeightGradients() {
        return graph.fp32WeightGradients();
    }

    public RunSettings settings() {
        return settings;
    }

    /** Reads a variable, for tests that compare runs. */
    public float[] variable(String name) {
        return graph.variables().read(name);
    }

    @Override
    public void close() {
        graph.close();
    }
}
