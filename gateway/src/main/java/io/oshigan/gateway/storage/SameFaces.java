package io.oshigan.gateway.storage;

import io.oshigan.storage.StoredObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The faces among the stored crops as the trainer counts them: crops of the same bytes (the same eTag; the
 * crop-service writes the same pixels as the same PNG) are one face, trained once, and out of training if any of its
 * crops is excluded. The first crop of a face in key order stands for it.
 */
public final class SameFaces {
    /** Per eTag: the first crop key in key order. */
    private final Map<String, String> firstByETag;
    /** eTags of faces with an excluded crop. */
    private final Set<String> excludedFaces;

    private SameFaces(Map<String, String> firstByETag, Set<String> excludedFaces) {
        this.firstByETag = firstByETag;
        this.excludedFaces = excludedFaces;
    }

    public static SameFaces of(List<StoredObject> crops, Set<String> excludedKeys) {
        Map<String, String> first = new HashMap<>();
        Set<String> out = new HashSet<>();
        for (StoredObject crop : crops) {
            first.merge(faceOf(crop), crop.key(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            if (excludedKeys.contains(crop.key())) {
                out.add(faceOf(crop));
            }
        }
        return new SameFaces(first, out);
    }

    /** The crop that stands for {@code crop}'s face, if that is another crop. */
    public Optional<String> firstOf(StoredObject crop) {
        String first = firstByETag.get(faceOf(crop));
        return first == null || first.equals(crop.key()) ? Optional.empty() : Optional.of(first);
    }

    /** What tells a crop's face: its eTag; a crop listed without one is a face of its own. */
    private static String faceOf(StoredObject crop) {
        return crop.eTag() == null || crop.eTag().isBlank() ? "key " + crop.key() : crop.eTag();
    }

    /** Distinct faces. */
    public int faces() {
        return firstByETag.size();
    }

    /** Faces none of whose crops is excluded: those the trainer trains on. */
    public int included() {
        return firstByETag.size() - excludedFaces.size();
    }
}
