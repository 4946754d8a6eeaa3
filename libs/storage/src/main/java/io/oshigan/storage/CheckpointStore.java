package io.oshigan.storage;

import io.oshigan.contracts.CheckpointLayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checkpoints and grids in the models bucket. A checkpoint is complete once its manifest.json exists (uploaded after
 * every other file); {@code runs/<run>/latest}, written after that, names the newest complete one.
 */
public class CheckpointStore {

    private final ObjectStore objects;

    public CheckpointStore(ObjectStore objects) {
        this.objects = objects;
    }

    /** Uploads a checkpoint directory, manifest last, then moves the latest pointer. Returns the key prefix. */
    public String uploadCheckpoint(String runId, long step, Path directory) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("listing checkpoint " + directory + " failed", e);
        }
        Path manifest = directory.resolve(CheckpointLayout.MANIFEST);
        files.remove(manifest);
        files.add(manifest);
        for (Path file : files) {
            String relative = directory.relativize(file).toString().replace('\\', '/');
            try (InputStream in = Files.newInputStream(file)) {
                objects.put(Bucket.MODELS, ObjectKeys.checkpointFile(runId, step, relative), in, Files.size(file),
                        relative.endsWith(".json") ? "application/json" : "application/octet-stream");
            } catch (IOException e) {
                throw new UncheckedIOException("uploading " + file + " failed", e);
            }
        }
        objects.put(Bucket.MODELS, ObjectKeys.latestPointer(runId), Long.toString(step).getBytes(StandardCharsets.UTF_8),
                "text/plain");
        return ObjectKeys.checkpointPrefix(runId, step);
    }

    public String uploadGrid(String runId, int epoch, byte[] png) {
        String key = ObjectKeys.grid(runId, epoch);
        objects.put(Bucket.MODELS, key, png, "image/png");
        return key;
    }

    /** Steps of the run's complete checkpoints, oldest first. */
    public List<Long> completeCheckpoints(String runId) {
        String prefix = ObjectKeys.runPrefix(runId) + "checkpoints/";
        TreeSet<Long> steps = new TreeSet<>();
        for (StoredObject object : objects.list(Bucket.MODELS, prefix)) {
            ObjectKeys.checkpointStepOf(runId, object.key(), CheckpointLayout.MANIFEST).ifPresent(steps::add);
        }
        return new ArrayList<>(steps);
    }

    /** A complete checkpoint and when it became complete (its manifest's upload time). */
    public record Completed(VersionId version, java.time.Instant at) {
    }

    /** Every run's complete checkpoints with when each became complete, newest first, from one listing. */
    public List<Completed> completedNewestFirst() {
        List<Completed> completed = new ArrayList<>();
        for (StoredObject object : objects.list(Bucket.MODELS, "runs/")) {
            ObjectKeys.runOf(object.key()).flatMap(run -> ObjectKeys.checkpointStepOf(run, object.key(), CheckpointLayout.MANIFEST)
                    .map(step -> new Completed(new VersionId(run, step),
                            object.lastModified() == null ? java.time.Instant.EPOCH : object.lastModified())))
                    .ifPresent(completed::add);
        }
        completed.sort(java.util.Comparator.comparing(Completed::at).thenComparing(Completed::version).reversed());
        return completed;
    }

    /** The newest complete checkpoint: the latest pointer if it names one, else the newest with a manifest. */
    public Optional<Long> latestCheckpoint(String runId) {
        List<Long> complete = completeCheckpoints(runId);
        if (complete.isEmpty()) {
            return Optional.empty();
        }
        try {
            long pointed = Long.parseLong(new String(objects.get(Bucket.MODELS, ObjectKeys.latestPointer(runId)),
                    StandardCharsets.UTF_8).trim());
            if (complete.contains(pointed)) {
                return Optional.of(pointed);
            }
        } catch (RuntimeException e) {
            // no pointer or an unreadable one: fall back to the listing
        }
        return Optional.of(complete.get(complete.size() - 1));
    }

    /** Downloads a checkpoint directory, or only the files under {@code subdirectories} of it (plus the manifest). */
    public void download(String runId, long step, Path into, String... subdirectories) {
        String prefix = ObjectKeys.checkpointPrefix(runId, step);
        for (StoredObject object : objects.list(Bucket.MODELS, prefix)) {
            String relative = object.key().substring(prefix.length());
            if (subdirectories.length > 0 && !relative.equals(CheckpointLayout.MANIFEST)
                    && java.util.Arrays.stream(subdirectories).noneMatch(d -> relative.startsWith(d + "/"))) {
                continue;
            }
            Path target = into.resolve(object.key().substring(prefix.length()));
            try (InputStream in = objects.open(Bucket.MODELS, object.key())) {
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            } catch (IOException e) {
                throw new UncheckedIOException("downloading " + object.key() + " failed", e);
            }
        }
    }

    /**
     * Deletes the complete checkpoints beyond the newest {@code keep} that are not {@code history} (asked of each such
     * step), and what incomplete ones older than the newest complete one left (a prune or an upload cut short: no
     * upload of the run writes below its newest step); returns the complete steps deleted. Each goes manifest first,
     * so one half deleted is never taken as complete, and its rest is taken by the next prune if this one is cut short.
     */
    public List<Long> prune(String runId, int keep, java.util.function.LongPredicate history) {
        TreeMap<Long, List<String>> keysByStep = new TreeMap<>();
        TreeSet<Long> complete = new TreeSet<>();
        for (StoredObject object : objects.list(Bucket.MODELS, ObjectKeys.runPrefix(runId) + "checkpoints/")) {
            ObjectKeys.checkpointStepOfAnyFile(runId, object.key()).ifPresent(step ->
                    keysByStep.computeIfAbsent(step, s -> new ArrayList<>()).add(object.key()));
            ObjectKeys.checkpointStepOf(runId, object.key(), CheckpointLayout.MANIFEST).ifPresent(complete::add);
        }
        List<Long> steps = new ArrayList<>(complete);
        List<Long> removed = new ArrayList<>();
        for (int i = 0; i < steps.size() - keep; i++) {
            if (!history.test(steps.get(i))) {
                // the manifest first: in key order it went last, and a prune cut short left weights that looked complete
                objects.remove(Bucket.MODELS, ObjectKeys.checkpointFile(runId, steps.get(i), CheckpointLayout.MANIFEST));
                removeAll(keysByStep.get(steps.get(i)));
                removed.add(steps.get(i));
            }
        }
        if (!complete.isEmpty()) {
            keysByStep.headMap(complete.last()).forEach((step, keys) -> {
                if (!complete.contains(step)) {
                    removeAll(keys);
                }
            });
        }
        return removed;
    }

    private void removeAll(List<String> keys) {
        for (String key : keys) {
            objects.remove(Bucket.MODELS, key);
        }
    }

    /** The manifest of a complete checkpoint, as stored. */
    public byte[] manifest(String runId, long step) {
        return objects.get(Bucket.MODELS, ObjectKeys.checkpointFile(runId, step, CheckpointLayout.MANIFEST));
    }

    /** When a checkpoint became complete: its manifest's upload time. */
    public java.time.Instant createdAt(String runId, long step) {
        return objects.stat(Bucket.MODELS, ObjectKeys.checkpointFile(runId, step, CheckpointLayout.MANIFEST))
                .map(StoredObject::lastModified).orElse(java.time.Instant.EPOCH);
    }

    /** Every run with its newest complete checkpoint (or none yet). */
    public TreeMap<String, Optional<Long>> runs() {
        TreeMap<String, Optional<Long>> runs = new TreeMap<>();
        for (StoredObject object : objects.list(Bucket.MODELS, "runs/")) {
            ObjectKeys.runOf(object.key()).ifPresent(run -> runs.putIfAbsent(run, Optional.empty()));
        }
        runs.replaceAll((run, none) -> latestCheckpoint(run));
        return runs;
    }
}
