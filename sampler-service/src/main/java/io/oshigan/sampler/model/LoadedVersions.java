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
 * The versions kept loaded, oldest first, the one that serves, and the loads in flight: a version is loaded once
 * however many ask at the same time, by the {@link VersionLoader} outside the lock, which is held only to read or change
 * the map. A version in the map holds the registry's lease, so one leased or made current under the lock is open; the
 * serving one is always in the map, and only versions beyond {@code maxLoaded} other than it are retired.
 */
final class LoadedVersions {
    private static final Logger LOG = Logger.getLogger(LoadedVersions.class);

    private final VersionLoader loader;
    private final LoadFailures failures;
    private final int maxLoaded;
    private final Map<String, GeneratorVersion> loaded = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<GeneratorVersion>> loading = new ConcurrentHashMap<>();
    /** Read without the lock by every request; set only under it, to a version in the map. */
    private volatile GeneratorVersion current;

    LoadedVersions(VersionLoader loader, LoadFailures failures, int maxLoaded) {
        this.loader = loader;
        this.failures = failures;
        this.maxLoaded = Math.max(1, maxLoaded);
    }

    synchronized GeneratorVersion get(String id) {
        return loaded.get(id);
    }

    /** The serving version; null before one is loaded. It may be swapped out and closed before the caller leases it. */
    GeneratorVersion current() {
        return current;
    }

    /** Version {@code id} leased, if it is loaded: under the lock it cannot be retired between the look and the lease. */
    synchronized GeneratorVersion lease(String id) {
        GeneratorVersion version = loaded.get(id);
        return version != null && version.acquire() ? version : null;
    }

    /**
     * Makes {@code version} the serving one and retires what is beyond the limit; false when it was retired since it
     * was loaded (another load's eviction came between), so the caller loads it again.
     */
    synchronized boolean serve(GeneratorVersion version) {
        if (loaded.get(version.id()) != version) {
            return false;
        }
        GeneratorVersion old = current;
        current = version;
        if (old != version) {
            LOG.infof("serving %s (was %s)", version.id(), old == null ? "nothing" : old.id());
        }
        evict();
        return true;
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
            GeneratorVersion raced = get(key); // loaded by a load that ended between the look above and the claim
            if (raced != null) {
                mine.complete(raced);
                return raced;
            }
            GeneratorVersion version = loader.load(id);
            synchronized (this) { // no other copy: only the holder of the claim puts, and it looked after claiming
                loaded.put(key, version);
            }
            LOG.infof("loaded generator %s (%s); %s", key, version.architecture(), version.batchGain());
            mine.complete(version);
            return version;
        } catch (RuntimeException e) {
            failures.add(key, e.getMessage());
            LOG.errorf("generator %s could not be loaded, %s keeps serving: %s", key, serving, e.getMessage());
            return null;
        } catch (Error e) { // a native library's, a stack overflow: recorded, and thrown on to the caller
            failures.add(key, e.toString());
            throw e;
        } finally {
            loading.remove(key, mine);
            mine.complete(null); // whatever ended the load, those waiting for it are answered (no-op after success)
        }
    }

    /**
     * Retires the oldest versions beyond the limit, never the serving one; each closes with its last request (a
     * request that loaded a version leases it first, so it is served even where the limit leaves no room to keep it).
     */
    synchronized void evict() {
        var iterator = loaded.entrySet().iterator();
        while (loaded.size() > maxLoaded && iterator.hasNext()) {
            var entry = iterator.next();
            if (entry.getValue() != current) {
                iterator.remove();
                entry.getValue().retire();
            }
        }
    }
}
