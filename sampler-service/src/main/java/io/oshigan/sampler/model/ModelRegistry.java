package io.oshigan.sampler.model;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oshigan.dcgan.DiscriminatorGraph;
import io.oshigan.sampler.config.SamplerConfig;
import io.oshigan.storage.VersionId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The loaded generator versions ("run@step") and the one that serves. Loading is not serving: versions are built by a
 * {@link VersionLoader} outside any lock that requests take, then published by swapping references, so a request for
 * the serving version never waits behind a load. A new checkpoint is loaded beside the current one and swapped in; the
 * old one closes when its last request is done. A checkpoint that fails to load leaves the current one serving and is
 * kept in {@link #failures()}.
 */
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);
    /** Loads of a checkpoint to serve, each retired by other loads before its swap, before it gives up. */
    private static final int SERVE_ATTEMPTS = 3;

    /** What serves, which run it follows, how many versions stay loaded. */
    public record Policy(Optional<String> pin, Optional<String> run, int maxLoaded) {
    }

    private final VersionCatalog catalog;
    private final OnDemandLoads onDemand;
    private final Policy policy;
    private final LoadFailures failures;
    private final ScorerCache scorers;
    private final LoadedVersions versions;
    /** Orders what happens in the background (start, checkpoint records, catch-up); requests never take it. */
    private final ReentrantLock background = new ReentrantLock();

    @Inject
    ModelRegistry(VersionCatalog catalog, VersionLoader loader, OnDemandLoads onDemand, SamplerConfig config, MeterRegistry metrics) {
        this(catalog, loader, onDemand, new Policy(config.pin(), config.run(), config.maxLoaded()), metrics);
    }

    ModelRegistry(VersionCatalog catalog, VersionLoader loader, OnDemandLoads onDemand, Policy policy, MeterRegistry metrics) {
        this.catalog = catalog;
        this.onDemand = onDemand;
        this.policy = policy;
        this.failures = new LoadFailures(metrics);
        this.scorers = new ScorerCache(loader, onDemand);
        this.versions = new LoadedVersions(loader, failures, policy.maxLoaded());
        Gauge.builder("oshigan.sampler.model.step", this, r -> r.current().map(v -> v.versionId().step()).orElse(-1L))
                .description("Step of the serving version").register(metrics);
    }

    /** Loads what should serve at start: the pinned version, or the newest complete checkpoint. */
    public void loadInitial() {
        inBackground(() -> policy.pin().map(VersionId::parse).or(() -> catalog.newest(policy.run())).ifPresentOrElse(
                this::serve,
                () -> LOG.info("no checkpoint in the models bucket yet; waiting for checkpoints.published")));
    }

    /** A checkpoint was published: load it and serve it, unless a version is pinned or another run is followed. */
    public void published(String runId, long step) {
        VersionId id = new VersionId(runId, step);
        if (policy.pin().isPresent()) {
            LOG.infof("checkpoint %s published; serving stays pinned to %s", id, policy.pin().get());
            return;
        }
        if (policy.run().isEmpty() || policy.run().get().equals(runId)) {
            inBackground(() -> serve(id));
        }
    }

    /**
     * Serves the newest complete checkpoint if it is newer than the current one and has not failed to load before:
     * catches up with a record this instance never saw. Nothing happens while a version is pinned.
     */
    public void catchUp() {
        if (policy.pin().isPresent()) {
            return;
        }
        inBackground(() -> catalog.newest(policy.run())
                .filter(id -> current().map(served -> !id.toString().equals(served.id())
                        && catalog.isNewer(id, served.versionId())).orElse(true))
                .filter(id -> !failures.contains(id.toString()))
                .ifPresent(id -> {
                    LOG.infof("catching up: %s is newer than what is served", id);
                    serve(id);
                }));
    }

    /** Leases the version asked for (or the current one); the caller releases it. */
    public GeneratorVersion lease(Optional<String> versionId) {
        if (versionId.isPresent()) {
            return leaseVersion(versionId.get());
        }
        while (true) { // the serving version read just before a swap may close before it is leased: read again
            GeneratorVersion version = versions.current();
            if (version == null) {
                throw new NoModelException("no model loaded yet: no complete checkpoint has been published", false);
            }
            if (version.acquire()) {
                return version;
            }
        }
    }

    /** The discriminator of a leased version, for ranking; a 400 when its checkpoint has none (imports). */
    public DiscriminatorGraph scorer(GeneratorVersion version) {
        return scorers.of(version);
    }

    public Optional<GeneratorVersion> current() {
        return Optional.ofNullable(versions.current());
    }

    public List<String> loadedVersions() {
        return versions.ids();
    }

    public List<LoadFailures.LoadFailure> failures() {
        return failures.all();
    }

    public List<String> availableVersions() {
        return catalog.available().stream().map(VersionId::toString).toList();
    }

    /**
     * Version {@code text} leased, loaded first if it is not: leased before the versions beyond the limit are retired,
     * so the request is served even where the limit keeps no room for it (it closes with the request then).
     */
    private GeneratorVersion leaseVersion(String text) {
        while (true) {
            GeneratorVersion leased = versions.lease(text);
            if (leased != null) {
                versions.evict();
                return leased;
            }
            VersionId id = parseOrNull(text);
            if (id == null || !catalog.exists(id)) {
                throw new NoModelException("unknown version '" + text + "': versions are run@step of a complete "
                        + "checkpoint, see GET /api/v1/models", true);
            }
            // loaded here or by a load in flight; another request's eviction may retire it before the lease: then again
            if (versions.await(text, () -> onDemand.load(() -> load(id), GeneratorVersion.class)) == null) {
                throw new NoModelException("version " + text + " cannot be loaded: " + failures.reasonOf(text), true);
            }
        }
    }

    private GeneratorVersion load(VersionId id) {
        return versions.load(id, current().map(GeneratorVersion::id).orElse("nothing"));
    }

    /** Loads {@code id} and serves it; loaded again if an on-demand load's eviction retired it before the swap. */
    private void serve(VersionId id) {
        for (int attempt = 1; attempt <= SERVE_ATTEMPTS; attempt++) {
            GeneratorVersion version = load(id);
            if (version == null || versions.serve(version)) {
                return;
            }
        }
        LOG.warnf("%s was retired by other loads %d times before it could serve; %s keeps serving", id, SERVE_ATTEMPTS,
                current().map(GeneratorVersion::id).orElse("nothing"));
    }

    private static VersionId parseOrNull(String text) {
        try {
            return VersionId.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void inBackground(Runnable step) {
        background.lock();
        try {
            step.run();
        } finally {
            background.unlock();
        }
    }
}
