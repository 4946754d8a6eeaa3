package io.oshigan.sampler.inference;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Per version, shared by the workers: its requests in session runs now, and the crowd its last batch saw. A worker
 * that takes a version's request expects its share of that version's crowd, not of everyone's: a lone client of a
 * second version (a pinned one beside the newest) is no crowd, whatever the other version's clients are. Versions are
 * held weakly (a retired one is not kept alive for its count) and compared as objects, as the queue compares them.
 */
final class Crowds {
    /** Per version: {requests in runs now, the crowd its last batch saw}. */
    private final Map<BatchModel, int[]> byVersion = new WeakHashMap<>();

    /** The part of {@code version}'s last crowd that one of {@code workers} expects: 1 for a version not seen yet. */
    synchronized int share(BatchModel version, int workers) {
        int[] counts = byVersion.get(version);
        int crowd = counts == null ? 1 : Math.max(1, counts[1]);
        return (crowd + workers - 1) / workers;
    }

    /** {@code requests} of {@code version} went into a session run ({@code -requests}: came out of it). */
    synchronized void running(BatchModel version, int requests) {
        byVersion.computeIfAbsent(version, v -> new int[2])[0] += requests;
    }

    /** {@code version}'s requests in the workers' session runs now. */
    synchronized int inFlight(BatchModel version) {
        int[] counts = byVersion.get(version);
        return counts == null ? 0 : counts[0];
    }

    /** The crowd a batch of {@code version} just saw: the next batch of it expects its share of that. */
    synchronized void saw(BatchModel version, int crowd) {
        byVersion.computeIfAbsent(version, v -> new int[2])[1] = crowd;
    }
}
