package io.oshigan.trainer.training;

import io.oshigan.trainer.config.TrainerConfig;
import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.trainer.domain.ImageCache;
import io.oshigan.trainer.domain.RunSettings;
import io.oshigan.trainer.storage.FaceSource;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.support.retry.RetryCancelledException;
import io.oshigan.support.retry.TransientFailureException;
import io.oshigan.support.retry.TransientRetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.file.Path;
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
    private final CheckpointKeeper checkpoints;
    private final FaceDataset dataset;
    private final LossHistory history = new LossHistory(5_000);
    private final TrainingProgress progress;
    private final AtomicReference<RunSettings> requestedRun = new AtomicReference<>();
    private volatile boolean paused;
    private volatile boolean stopping;
    private Thread thread;
    private final TransientRetry retry;
    private final StoredFaces stored;
    private final BatchStepper stepper;
    private final RunOpener opener;

    TrainerService(TrainerConfig config, FaceSource faces, CheckpointStore models, CheckpointKeeper checkpoints,
                   TransientRetry retry, io.micrometer.core.instrument.MeterRegistry metrics) {
        this.config = config;
        this.retry = retry;
        this.checkpoints = checkpoints;
        this.dataset = new FaceDataset(new ImageCache(cacheBudget(config.cacheMemoryMb()), Path.of(config.workDir(), "cache")));
        this.progress = new TrainingProgress(config.progressLogSeconds());
        this.stored = new StoredFaces(faces, dataset, config.demoFaces(), metrics);
        this.stepper = new BatchStepper(progress, history, models, checkpoints, retry, () -> stopping);
        this.opener = new RunOpener(config, dataset, progress, stored, checkpoints, retry, () -> stopping);
    }

    /** cache-memory-mb, cut to what this process's heap holds (ImageCache.budgetWithin), with a warning if cut. */
    private static long cacheBudget(int configuredMb) {
        long configured = (long) configuredMb << 20;
        long budget = ImageCache.budgetWithin(configured, Runtime.getRuntime().maxMemory());
        if (budget < configured) {
            LOG.warnf("cache-memory-mb %d does not fit this %d MB heap: decoded faces are held in memory up to %d MB "
                    + "(and %d MB of waiting ones), the rest on local disk", configuredMb,
                    Runtime.getRuntime().maxMemory() >> 20, budget >> 20, budget / ImageCache.WAITING_ROOM_SHARE >> 20);
        }
        return budget;
    }

    void onStart(@Observes StartupEvent event) {
        config.retention(); // a checkpoint setting that makes no sense stops the start, with its key, not a later prune
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
        if (thread != null && thread.isAlive() && progress.state() != TrainerStatus.State.FAILED) {
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
        paused = false; // a pause of the loop that ended is not the new one's
        thread = new Thread(this::loop, "trainer");
        thread.setDaemon(false);
        thread.start();
    }

    /** Pauses the loop after its batch; why not (empty: paused) when no loop is under way to pause. */
    public synchronized java.util.Optional<String> pause() {
        TrainerStatus.State state = progress.state();
        if (thread == null || !thread.isAlive() || state == TrainerStatus.State.FAILED || state == TrainerStatus.State.STOPPED) {
            return java.util.Optional.of("no run is under way to pause (state " + state + "): start one with POST /runs");
        }
        paused = true;
        return java.util.Optional.empty();
    }

    public void resume() {
        paused = false;
    }

    public TrainerStatus status() {
        return progress.status(dataset);
    }

    /** The settings of the run under way, unless the loop failed with it: its architecture is its graph's. */
    public java.util.Optional<RunSettings> runUnderWay() {
        TrainingRun current = progress.run();
        return current == null || progress.state() == TrainerStatus.State.FAILED ? java.util.Optional.empty()
                : java.util.Optional.of(current.settings());
    }

    public LossHistory history() {
        return history;
    }

    /** Queues a crop announced on faces.cropped; it joins the data set at the next epoch boundary. */
    public void offerCrop(String key) {
        stored.offer(key);
    }

    private void loop() {
        TrainingRun run = null;
        try {
            progress.state(TrainerStatus.State.STARTING);
            stored.loadAll(retry, () -> stopping);
            while (!stopping) {
                RunSettings next = requestedRun.getAndSet(null);
                if (next != null) {
                    if (run != null) {
                        stepper.saveFinalCheckpoint(run);
                        run.close();
                        run = null; // closed once: the finally below must not close it again if the next one fails
                    }
                    try {
                        run = open(next);
                    } catch (RuntimeException e) {
                        boolean another;
                        synchronized (this) { // start() decides under it whether this loop will take a request up
                            another = requestedRun.get() != null && !stopping;
                            if (!another) {
                                progress.failed(e.getMessage());
                            }
                        }
                        if (!another) {
                            throw e;
                        }
                        // another run was asked for (and answered 202) while this one opened: it is taken up, not
                        // left behind a failed loop that nothing reads it from
                        LOG.errorf(e, "run %s not started; the run asked for since is", next.runId());
                        continue;
                    }
                }
                if (!paused && run.atEpochStart()) { // before the data check: what takes part decides it
                    if (run.waitingForData()) {
                        stored.refreshExclusionsWhileWaiting(retry);
                    } else {
                        stored.refreshExclusions(retry);
                    }
                }
                if (paused) {
                    progress.state(TrainerStatus.State.PAUSED);
                    Thread.sleep(200);
                } else if (run.waitingForData()) {
                    progress.state(TrainerStatus.State.WAITING_FOR_DATA);
                    Thread.sleep(500);
                } else {
                    try {
                        stepper.trainOneBatch(run);
                    } catch (RetryCancelledException e) {
                        LOG.infof("run %s: %s", run.settings().runId(), e.getMessage()); // the loop ends: stopping
                    } catch (TransientFailureException e) {
                        // S3 or Kafka away longer than a round of retries: keep the run; a due checkpoint stays due
                        LOG.warnf("run %s goes on after a round of retries: %s", run.settings().runId(), e.getMessage());
                    }
                }
            }
            if (run != null) {
                stepper.saveFinalCheckpoint(run);
            }
            progress.state(TrainerStatus.State.STOPPED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RetryCancelledException e) {
            progress.state(TrainerStatus.State.STOPPED); // stopped while S3 was away: nothing failed
        } catch (RuntimeException e) {
            LOG.error("training failed", e);
            progress.failed(e.getMessage());
        } finally {
            if (run != null) {
                run.close();
            }
        }
    }

    /** Why a step of {@code settings} would not fit this trainer's memory (StepMemory); not checked on a GPU. */
    public java.util.Optional<String> memoryRefusal(RunSettings settings) {
        return opener.memoryRefusal(settings);
    }

    private TrainingRun open(RunSettings settings) {
        TrainingRun run = opener.open(settings);
        stepper.startRun(run);
        return run;
    }
}
