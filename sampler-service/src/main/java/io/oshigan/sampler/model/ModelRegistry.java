package io.oshigan.sampler.model;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oshigan.dcgan.CheckpointManifest;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.sampler.config.SamplerConfig;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.storage.LocalFiles;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.api.RateLimitType;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loaded generator versions ("run@step") and the current one. A new checkpoint is loaded and warmed up beside
 * the current one, then swapped in atomically; the old one closes when its last request is done. A checkpoint that
 * fails to load leaves the current model serving and is kept in {@link #failures()}.
 */
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);
    private static final Pattern VERSION = Pattern.compile("([a-z0-9][a-z0-9-]{0,62})@(\\d{1,18})");

    public record LoadFailure(String version, String reason, Instant at) {
    }

    private final CheckpointStore checkpoints;
    private final SamplerConfig config;
    private final Counter failedLoads;
    private final AtomicReference<GeneratorVersion> current = new AtomicReference<>();
    private final Map<String, GeneratorVersion> loaded = new LinkedHashMap<>();
    private final Deque<LoadFailure> failures = new ArrayDeque<>();
    private final Map<String, io.oshigan.dcgan.DiscriminatorGraph> scorers = new java.util.HashMap<>();
    /** Loads that requests trigger, over all clients; a load from a checkpoint event is never refused. */
    private final Guard onDemandLoads;

    ModelRegistry(CheckpointStore checkpoints, SamplerConfig config, MeterRegistry metrics) {
        this.checkpoints = checkpoints;
        this.config = config;
        this.onDemandLoads = Guard.create().withRateLimit().limit(Math.max(1, config.onDemandLoadsPerMinute()))
                .window(1, ChronoUnit.MINUTES).type(RateLimitType.ROLLING).done().build();
        this.failedLoads = Counter.builder("oshigan.sampler.model.load.failures")
                .description("Checkpoints that could not be loaded").register(metrics);
        Gauge.builder("oshigan.sampler.model.step", this, r -> r.currentStep()).description("Step of the serving version")
                .register(metrics);
    }

    /** Loads what should serve at start: the pinned version, or the newest complete checkpoint. */
    public void loadInitial() {
        Optional<String> target = config.pin().or(this::newestVersion);
        target.ifPresentOrElse(v -> {
            GeneratorVersion version = load(v);
            if (version != null) {
                swapIn(version);
            }
        }, () -> LOG.info("no checkpoint in the models bucket yet; waiting for checkpoints.published"));
    }

    /** A checkpoint was published: load it and serve it, unless a version is pinned or another run is followed. */
    public synchronized void published(String runId, long step) {
        String id = runId + "@" + step;
        if (config.pin().isPresent()) {
            LOG.infof("checkpoint %s published; serving stays pinned to %s", id, config.pin().get());
            return;
        }
        if (config.run().isPresent() && !config.run().get().equals(runId)) {
            return;
        }
        GeneratorVersion version = load(id);
        if (version != null) {
            swapIn(version);
        }
    }

    /**
     * Serves the newest complete checkpoint if it is newer than the current one and has not failed to load before:
     * catches up with a record this instance never saw (it started between a checkpoint's upload and its record, or
     * the broker was away). Nothing happens while a version is pinned.
     */
    public synchronized void catchUp() {
        if (config.pin().isPresent()) {
            return;
        }
        newestVersion().filter(id -> current.get() == null || !current.get().id().equals(id))
                .filter(id -> failures.stream().noneMatch(f -> f.version().equals(id)))
                .filter(id -> current.get() == null || isNewer(id, current.get().id()))
                .ifPresent(id -> {
                    LOG.infof("catching up: %s is newer than what is served", id);
                    GeneratorVersion version = load(id);
                    if (version != null) {
                        swapIn(version);
                    }
                });
    }

    /**
     * By completion time; S3 keeps it to the second, so two checkpoints of one run completed within a second are
     * ordered by step (the catch-up missed a checkpoint stored right after the served one).
     */
    private boolean isNewer(String candidate, String served) {
        int byTime = createdAt(candidate).compareTo(createdAt(served));
        if (byTime != 0) {
            return byTime > 0;
        }
        Matcher a = VERSION.matcher(candidate);
        Matcher b = VERSION.matcher(served);
        return a.matches() && b.matches() && a.group(1).equals(b.group(1))
                && Long.parseLong(a.group(2)) > Long.parseLong(b.group(2));
    }

    private Instant createdAt(String versionId) {
        Matcher m = VERSION.matcher(versionId);
        if (!m.matches()) {
            return Instant.MIN;
        }
        try {
            return checkpoints.createdAt(m.group(1), Long.parseLong(m.group(2)));
        } catch (RuntimeException e) {
            return Instant.MIN; // an imported or vanished version: any stored checkpoint is newer
        }
    }

    /** Leases the version asked for (or the current one); the caller releases it. */
    public GeneratorVersion lease(Optional<String> versionId) {
        while (true) {
            GeneratorVersion version = versionId.isPresent() ? pinnedForRequest(versionId.get()) : current.get();
            if (version == null) {
                throw new NoModelException("no model loaded yet: no complete checkpoint has been published", false);
            }
            if (version.acquire()) {
                return version;
            }
        }
    }

    /**
     * The discriminator saved with a version's checkpoint, loaded on first use, for ranking samples.
     * @throws NoModelException (a 400) when the checkpoint has no discriminator, as for imported generators
     */
    public synchronized io.oshigan.dcgan.DiscriminatorGraph scorer(GeneratorVersion version) {
        io.oshigan.dcgan.DiscriminatorGraph scorer = scorers.get(version.id());
        if (scorer != null) {
            return scorer;
        }
        return onDemandLoads.get(() -> loadScorer(version), io.oshigan.dcgan.DiscriminatorGraph.class);
    }

    private synchronized io.oshigan.dcgan.DiscriminatorGraph loadScorer(GeneratorVersion version) {
        Matcher m = VERSION.matcher(version.id());
        m.matches();
        Path local = Path.of(config.workDir(), version.id().replace('@', '-') + "-d-" + System.nanoTime());
        io.oshigan.dcgan.DiscriminatorGraph graph = new io.oshigan.dcgan.DiscriminatorGraph(version.architecture(),
                io.oshigan.dcgan.SessionThreads.defaults());
        try {
            checkpoints.download(m.group(1), Long.parseLong(m.group(2)), local, Checkpoints.CHECKPOINT_DIR);
            graph.restore(local.resolve(Checkpoints.CHECKPOINT_DIR).resolve(Checkpoints.CHECKPOINT_PREFIX));
        } catch (RuntimeException e) {
            graph.close();
            throw new NoModelException("version " + version.id() + " has no discriminator to rank with (an imported "
                    + "generator, or its checkpoint lacks D): " + e.getMessage().lines().findFirst().orElse(""), true);
        } finally {
            LocalFiles.deleteQuietly(local);
        }
        scorers.put(version.id(), graph);
        // closed with the version when its last request is done, never under a request that ranks with it; and no
        // longer handed out then (a request of an evicted version may have cached it after the eviction)
        String id = version.id();
        version.closeWith(() -> {
            synchronized (this) {
                scorers.remove(id, graph);
            }
            graph.close();
        });
        return graph;
    }

    public Optional<GeneratorVersion> current() {
        return Optional.ofNullable(current.get());
    }

    public synchronized List<String> loadedVersions() {
        return new ArrayList<>(loaded.keySet());
    }

    public synchronized List<LoadFailure> failures() {
        return new ArrayList<>(failures);
    }

    /** Every complete checkpoint in the models bucket, as versions. */
    public List<String> availableVersions() {
        List<String> versions = new ArrayList<>();
        checkpoints.runs().keySet().forEach(run -> checkpoints.completeCheckpoints(run).forEach(step -> versions.add(run + "@" + step)));
        return versions;
    }

    private synchronized GeneratorVersion pinnedForRequest(String id) {
        GeneratorVersion version = loaded.get(id);
        if (version != null) {
            return version;
        }
        Matcher m = VERSION.matcher(id);
        if (!m.matches() || !checkpoints.completeCheckpoints(m.group(1)).contains(Long.parseLong(m.group(2)))) {
            throw new NoModelException("unknown version '" + id + "': versions are run@step of a complete checkpoint, "
                    + "see GET /api/v1/models", true);
        }
        version = onDemandLoads.get(() -> load(id), GeneratorVersion.class);
        if (version == null) {
            throw new NoModelException("version " + id + " cannot be loaded: " + failures.peekLast().reason(), true);
        }
        evictBeyondLimit();
        return version;
    }

    private synchronized GeneratorVersion load(String id) {
        if (loaded.containsKey(id)) {
            return loaded.get(id);
        }
        Matcher m = VERSION.matcher(id);
        Path local = Path.of(config.workDir(), id.replace('@', '-') + "-" + System.nanoTime());
        try {
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + id + "' is not a version (run@step)");
            }
            checkpoints.download(m.group(1), Long.parseLong(m.group(2)), local, Checkpoints.GENERATOR_DIR);
            CheckpointManifest manifest = Checkpoints.readManifest(local);
            GeneratorVersion version = GeneratorVersion.load(id, manifest.architecture(), local.resolve(Checkpoints.GENERATOR_DIR),
                    new SessionThreads(config.threads().intraOp(), config.threads().interOp()));
            loaded.put(id, version);
            LOG.infof("loaded generator %s (%s)", id, manifest.architecture());
            return version;
        } catch (RuntimeException e) {
            // the catch-up and the checkpoint's record can both try a bad checkpoint: it is one failure, not two
            if (!failures.removeIf(f -> f.version().equals(id))) {
                failedLoads.increment();
            }
            failures.addLast(new LoadFailure(id, e.getMessage(), Instant.now()));
            while (failures.size() > 20) {
                failures.removeFirst();
            }
            LOG.errorf("generator %s could not be loaded, %s keeps serving: %s", id,
                    current.get() == null ? "nothing" : current.get().id(), e.getMessage());
            return null;
        } finally {
            LocalFiles.deleteQuietly(local);
        }
    }

    private synchronized void swapIn(GeneratorVersion version) {
        GeneratorVersion old = current.getAndSet(version);
        if (old != version) {
            LOG.infof("serving %s (was %s)", version.id(), old == null ? "nothing" : old.id());
        }
        evictBeyondLimit();
    }

    private synchronized void evictBeyondLimit() {
        var iterator = loaded.entrySet().iterator();
        while (loaded.size() > Math.max(1, config.maxLoaded()) && iterator.hasNext()) {
            var entry = iterator.next();
            if (entry.getValue() != current.get()) {
                iterator.remove();
                scorers.remove(entry.getKey()); // the version closes it once its last request is done
                entry.getValue().retire();
            }
        }
    }

    private Optional<String> newestVersion() {
        return config.run().map(List::of).orElseGet(() -> new ArrayList<>(checkpoints.runs().keySet())).stream()
                .flatMap(run -> checkpoints.latestCheckpoint(run).stream().map(step -> Map.entry(run, step)))
                .max(Comparator.comparing(e -> checkpoints.createdAt(e.getKey(), e.getValue())))
                .map(e -> e.getKey() + "@" + e.getValue());
    }

    private long currentStep() {
        GeneratorVersion version = current.get();
        return version == null ? -1 : Long.parseLong(version.id().substring(version.id().indexOf('@') + 1));
    }

}
