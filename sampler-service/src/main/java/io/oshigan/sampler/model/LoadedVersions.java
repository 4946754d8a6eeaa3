package io.oshigan.sampler.model;

import io.oshigan.storage.VersionId;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The versions kept loaded, oldest first, and the loads in flight: a version is loaded once however many ask at the
 * same time, by the {@link VersionLoader} outside the lock, which is held only to read or change the map.
 */
final class LoadedVersions {
    private static final Logger LOG = Logger.getLogger(LoadedVersions.class);

    private final VersionLoader loader;
    private final LoadFailures failures;
    private final ScorerCache scorers;
    private final int maxLoaded;
    private final Map<String, GeneratorVersion> loaded = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<GeneratorVersion>> loading = new ConcurrentHashMap<>();

    LoadedVersions(VersionLoader loader, LoadFailures failures, ScorerCache scorers, int maxLoaded) {
        this.loader = loader;
        this.failures = failures;
        this.scorers = scorers;
        this.maxLoaded = Math.max(1, maxLoaded);
    }

    synchronized GeneratorVersion get(String id) {
        return loaded.get(id);
    }

    synchronized List<String> ids() {
        return new ArrayList<>(loaded.keySet());
    }

    /** The version once loaded, waiting for a load of it already in flight; null when it failed. */
    GeneratorVersion await(String id, Supplier<GeneratorVersion> otherwise) {
        CompletableFuture<GeneratorVersion> inFlight = loading.get(id);
        return inFlight != null ? inFlight.join() : otherwise.get();
    }

    /** Loads a version (once); null when it failed, with the reason in the failures. */
    GeneratorVersion load(VersionId id, String serving) {
        String key = id.toString();
        GeneratorVersion known = get(key);
        if (known != null) {
            return known;
        }
        CompletableFuture<GeneratorVersion> mine = new CompletableFuture<>();
        CompletableFuture<GeneratorVersion> other = loading.putIfAbsent(key, mine);
        if (other != null) {
            return other.join();
        }
        try {
            GeneratorVersion version = loader.load(id);
            synchronized (this) {
                loaded.put(key, version);
            }
            LOG.infof("loaded generator %s (%s); %s", key, version.architecture(), version.batchGain());
            mine.complete(version);
            return version;
        } catch (RuntimeException e) {
            failures.add(key, e.getMessage());
            LOG.errorf("generator %s could not be loaded, %s keeps serving: %s", key, serving, e.getMessage());
            mine.complete(null);
            return null;
        } finally {
            loading.remove(key, mine);
        }
    }

    /** Retires the oldest versions beyond the limit, never {@code keep}; each closes with its last request. */
    synchronized void evict(GeneratorVersion keep) {
        var iterator = loaded.entrySet().iterator();
        while (loaded.size() > maxLoaded && iterator.hasNext()) {
            var entry = iterator.next();
            if (entry.getValue() != keep) {
                iterator.remove();
                scorers.forget(entry.getKey());
                entry.getValue().retire();
            }
        }
    }
}
