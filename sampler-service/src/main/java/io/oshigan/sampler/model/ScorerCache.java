package io.oshigan.sampler.model;

import io.oshigan.dcgan.DiscriminatorGraph;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The discriminator of each version, loaded on its first ranking request (limited as an on-demand load), outside any
 * lock: a second request for the same version waits for that load only. It closes with its version, when the last
 * request that uses it is done, and is forgotten then. A version that has none (an import) is remembered as such: its
 * later ranking requests get the 400 at once, without spending the on-demand loads every client shares; a load that
 * failed for another reason (the models bucket away, the limit reached) is tried again by the next request. Kept per
 * version object, not per id: a version retired while its requests still run and the copy of it loaded anew each
 * have their own, closed and forgotten with it (shared by id, the first copy to close closed the other's).
 */
final class ScorerCache {
    private final VersionLoader loader;
    private final OnDemandLoads onDemand;
    private final Map<GeneratorVersion, CompletableFuture<DiscriminatorGraph>> scorers = new ConcurrentHashMap<>();

    ScorerCache(VersionLoader loader, OnDemandLoads onDemand) {
        this.loader = loader;
        this.onDemand = onDemand;
    }

    /** Call while holding a lease of the version. */
    DiscriminatorGraph of(GeneratorVersion version) {
        CompletableFuture<DiscriminatorGraph> mine = new CompletableFuture<>();
        CompletableFuture<DiscriminatorGraph> existing = scorers.putIfAbsent(version, mine);
        if (existing != null) {
            return join(existing);
        }
        version.closeWith(() -> scorers.remove(version, mine)); // whatever the load ends as
        try {
            DiscriminatorGraph graph = onDemand.load(() -> loader.loadScorer(version), DiscriminatorGraph.class);
            version.closeWith(graph::close);
            mine.complete(graph);
            return graph;
        } catch (RuntimeException | Error e) { // an Error too: those waiting for this load must not wait forever
            if (!(e instanceof NoModelException none && none.unknownVersion())) {
                scorers.remove(version, mine); // the next request tries again
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private static DiscriminatorGraph join(CompletableFuture<DiscriminatorGraph> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof NoModelException none) { // this request's own, with its status
                throw new NoModelException(none.getMessage(), none.unknownVersion());
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
