package io.oshigan.trainer.training;

import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.images.FaceImages;
import io.oshigan.trainer.config.TrainerConfig;
import io.oshigan.trainer.domain.Backoff;
import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.trainer.domain.FacePixels;
import io.oshigan.trainer.domain.ImageCache;
import io.oshigan.trainer.domain.RunSettings;
import io.oshigan.trainer.messaging.CheckpointEvents;
import io.oshigan.trainer.storage.FaceSource;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.StorageException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs training on one dedicated thread (never a Quarkus worker or event-loop thread): waits for enough faces,
 * trains, writes grids per epoch and checkpoints every N epochs, every M minutes and on shutdown. Pause, resume and
 * new runs are requests the loop takes up between batches.
 */
@ApplicationScoped
public class TrainerService {
    private static final Logger LOG = Logger.getLogger(TrainerService.class);

    private final TrainerConfig config;
    private final FaceSource faces;
    private final CheckpointStore models;
    private final CheckpointKeeper checkpoints;
    private final FaceDataset dataset;
    private final LossHistory history = new LossHistory(5_000);
    private final TrainingProgress progress;
    private final AtomicReference<RunSettings> requestedRun = new AtomicReference<>();
    private volatile boolean paused;
    private volatile boolean stopping;
    private Thread thread;
    /** Set when a checkpoint is due; stays set until one is stored and announced. */
    private boolean checkpointDue;
    private final Backoff outage = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));
    /** Stored crops admitted to the data set at start in chunks of this many (the listing is in key order). */
    private static final int ADMIT_AT_START_EVERY = 256;
    private final io.micrometer.core.instrument.Counter skippedCrops;

    TrainerService(TrainerConfig config, FaceSource faces, CheckpointStore models, CheckpointKeeper checkpoints,
                   io.micrometer.core.instrument.MeterRegistry metrics) {
        this.skippedCrops = io.micrometer.core.instrument.Counter.builder("oshigan.trainer.crops.skipped")
                .description("Stored crops that would not decode, skipped at start").register(metrics);
        this.config = config;
        this.faces = faces;
        this.models = models;
        this.checkpoints = checkpoints;
        this.dataset = new FaceDataset(new ImageCache((long) config.cacheMemoryMb() << 20, Path.of(config.workDir(), "cache")));
        this.progress = new TrainingProgress(config.progressLogSeconds());
    }

    void onStart(@Observes StartupEvent event) {
        // before TensorFlow's natives load: they open the CUDA libraries by name (GPU build only)
        LOG.info(io.oshigan.dcgan.CudaLibraries.preload().summary());
        if (config.autostart()) {
            start(config.defaultRun());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (thread != null) {
            try {
                thread.join(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        dataset.close();
    }

    /** Starts a run, or asks the loop to switch to it; after a failure that ended the loop, a new run starts a new one. */
    public synchronized void start(RunSettings settings) {
        if (thread != null && thread.isAlive() && status().state() != TrainerStatus.State.FAILED) {
            requestedRun.set(settings);
            return;
        }
        if (thread != null) {
            try {
                thread.join(30_000); // a failed loop that is still closing its run: let it end before the next starts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        requestedRun.set(settings);
        thread = new Thread(this::loop, "trainer");
        thread.setDaemon(false);
        thread.start();
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public TrainerStatus status() {
        return progress.status(dataset);
    }

    public LossHistory history() {
        return history;
    }

    /** Queues a crop announced on faces.cropped; it joins the data set at the next epoch boundary. */
    public void offerCrop(String key) {
        if (!dataset.knows(key)) {
            dataset.offer(key, FacePixels.fromImageBytes(faces.fetch(key)));
        }
    }

    private void loop() {
        TrainingRun run = null;
        try {
            loadStoredFaces();
            while (!stopping) {
                RunSettings next = requestedRun.getAndSet(null);
                if (next != null) {
                    if (run != null) {
                        saveFinalCheckpoint(run);
                        run.close();
                        run = null; // closed once: the finally below must not close it again if the next one fails
                    }
                    run = open(next);
                }
                if (paused) {
                    progress.state(TrainerStatus.State.PAUSED);
                    Thread.sleep(200);
                } else if (run.waitingForData()) {
                    progress.state(TrainerStatus.State.WAITING_FOR_DATA);
                    Thread.sleep(500);
                } else {
                    try {
                        trainOneBatch(run);
                        outage.reset();
                    } catch (StorageException | CheckpointEvents.AnnouncementFailedException e) {
                        // S3 or Kafka away (a restart, a network blip): keep the run, try the checkpoint again later
                        long wait = outage.next();
                        LOG.warnf("checkpoint of run %s postponed %d ms: %s", run.settings().runId(), wait, e.getMessage());
                        Thread.sleep(wait);
                    }
                }
            }
            if (run != null && run.step() > progress.lastCheckpointStep()) {
                saveFinalCheckpoint(run);
            }
            progress.state(TrainerStatus.State.STOPPED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("training failed", e);
            progress.failed(e.getMessage());
        } finally {
            if (run != null) {
                run.close();
            }
        }
    }

    /**
     * The faces already in the bucket, before training starts. S3 not up yet (the pods start in any order) is waited
     * for with backoff; a crop that will not decode is skipped and counted, never the end of the loop.
     */
    private void loadStoredFaces() throws InterruptedException {
        while (!stopping) {
            try {
                if (config.demoFaces() > 0) {
                    LOG.infof("demo mode: %d synthetic faces written to the faces bucket", faces.seedDemoFaces(config.demoFaces()));
                }
                int offered = 0;
                for (String key : faces.cropKeys()) {
                    offerStoredCrop(key);
                    // no epoch runs yet: admit as the listing goes (in key order, as one admission would), so what
                    // waits in memory stays a chunk and the rest goes to the budgeted cache, which spills to disk
                    if (++offered % ADMIT_AT_START_EVERY == 0) {
                        dataset.admitPending();
                    }
                }
                dataset.admitPending();
                LOG.infof("data set: %d faces found in the bucket", dataset.pendingCount() + dataset.size());
                outage.reset();
                return;
            } catch (StorageException e) {
                if (!e.isRetryable() && !e.isNotFound()) {
                    throw e; // refused credentials, a malformed request: waiting does not help, FAILED says why
                }
                long wait = outage.next();
                progress.state(TrainerStatus.State.STARTING);
                LOG.warnf("the faces bucket cannot be read yet (%s); trying again in %d ms", e.getMessage(), wait);
                Thread.sleep(wait);
            }
        }
    }

    private void offerStoredCrop(String key) {
        try {
            offerCrop(key);
        } catch (IllegalArgumentException e) {
            skippedCrops.increment();
            LOG.warnf("crop %s skipped: %s", key, e.getMessage());
        }
    }

    private TrainingRun open(RunSettings settings) {
        TrainingRun run = new TrainingRun(settings, dataset,
                config.device().apply(new SessionThreads(config.intraOpThreads(), config.interOpThreads())));
        try {
            progress.device(config.device().check(run.devices()));
            progress.newRun(run, checkpoints.resume(run).orElse(null));
        } catch (RuntimeException e) {
            run.close(); // its graph and session are native memory: a run that cannot resume does not keep them
            throw e;
        }
        history.clear();
        LOG.infof("run %s: %s, batch %d, G every %d, seed %d, %s", settings.runId(), settings.architecture(),
                settings.batchSize(), settings.generatorEvery(), settings.seed(), settings.hyperparameters());
        LOG.infof("TensorFlow %s trains on %s (device=%s)", org.tensorflow.TensorFlow.version(), progress.device(),
                config.device().name().toLowerCase());
        return run;
    }

    private void trainOneBatch(TrainingRun run) {
        progress.state(TrainerStatus.State.TRAINING);
        long started = System.nanoTime();
        TrainingRun.Step step = run.trainBatch();
        progress.stepDone(run, step, System.nanoTime() - started);
        if (step.step() % 10 == 0) {
            history.add(new LossHistory.Point(step.step(), step.epoch(), run.epochLosses().meanD(), run.epochLosses().meanG()));
        }
        if (step.epochEnded()) {
            storeGrid(run, step);
            if (step.epoch() % run.settings().checkpointEveryEpochs() == 0) {
                checkpointDue = true;
            }
        }
        if (checkpointDue || progress.minutesSinceCheckpoint() >= run.settings().checkpointEveryMinutes()) {
            saveCheckpoint(run);
            checkpointDue = false;
        }
    }

    /** A progress picture: one lost to an outage is logged and skipped, the training goes on. */
    private void storeGrid(TrainingRun run, TrainingRun.Step step) {
        try {
            String grid = models.uploadGrid(run.settings().runId(), (int) step.epoch(),
                    FaceImages.encode(run.gridImages(), run.settings().gridImages(), 8, FaceImages.Format.PNG));
            progress.gridWritten(grid);
            LOG.infof("epoch %d done: step %d, loss D %.4f, G %.4f, grid %s", step.epoch(), step.step(),
                    run.epochLosses().meanD(), run.epochLosses().meanG(), grid);
        } catch (StorageException e) {
            LOG.warnf("epoch %d done: step %d; its grid was not stored: %s", step.epoch(), step.step(), e.getMessage());
        }
    }

    /** A due checkpoint: one stored whose announcement was refused is announced again, not written again. */
    private void saveCheckpoint(TrainingRun run) {
        progress.state(TrainerStatus.State.CHECKPOINTING);
        progress.checkpointed(checkpoints.save(run, progress.lastGrid()));
    }

    /** Before a run switch or a stop: the state as it is now is stored, whatever is still unannounced. */
    private void saveFinalCheckpoint(TrainingRun run) {
        progress.state(TrainerStatus.State.CHECKPOINTING);
        progress.checkpointed(checkpoints.saveCurrent(run, progress.lastGrid()));
    }
}
