package io.oshigan.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object key scheme. Every key we write is derived deterministically from what it is made of, so a replayed
 * event computes the same key and an existence check makes the write idempotent.
 *
 * <pre>
 * raw:    uploads/&lt;contentId&gt;/&lt;file name&gt;          an upload through the gateway
 * faces:  crops/&lt;sourceId&gt;/&lt;faceIndex:000&gt;.png      one crop
 *         crops/demo/&lt;index:00000&gt;.png             a synthetic demo face (only a trainer in demo mode trains on it)
 *         manifests/&lt;sourceId&gt;.json                   what one upload gave (crops, or no face)
 * models: runs/&lt;runId&gt;/checkpoints/&lt;step:0000000000&gt;/...    one checkpoint directory (manifest.json last)
 *         runs/&lt;runId&gt;/latest                          step of the newest complete checkpoint (written last)
 *         runs/&lt;runId&gt;/grids/epoch-&lt;epoch:00000&gt;.png   progress grid
 * </pre>
 * {@code sourceId} is the first 32 hex digits of sha256(bucket, key, eTag): a new version of an upload under the
 * same key is a new source. {@code contentId} is the first 32 hex digits of the upload's sha256: the same bytes
 * uploaded again (a retried request, the same picture dropped twice) land in the same folder.
 */
public final class ObjectKeys {
    public static final Pattern RUN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** Imported generators live in runs of their own: a training run never receives one. */
    public static final String IMPORT_RUN_PREFIX = "import-";
    /** Crops of one upload are numbered 000-999. */
    public static final int MAX_FACES_PER_SOURCE = 1000;
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    public static final String UPLOADS = "uploads/";
    public static final String CROPS = "crops/";
    /** The demo's synthetic faces: crops (shown, excludable) that only a trainer in demo mode trains on. */
    public static final String DEMO_CROPS = CROPS + "demo/";
    public static final String EXCLUSIONS = "exclusions/";
    /** The longest key S3 takes, in bytes of UTF-8. */
    public static final int MAX_KEY_BYTES = 1024;
    private static final Pattern CROP_KEY = Pattern.compile("crops/([0-9a-f]{32})/\\d{3}\\.png");
    private static final Pattern GRID_FILE = Pattern.compile("epoch-(\\d{5,9})\\.png");
    private static final Pattern RUN_KEY = Pattern.compile("runs/(" + RUN_ID.pattern() + ")/");
    private static final Pattern IN_CHECKPOINT = Pattern.compile("runs/(" + RUN_ID.pattern() + ")/checkpoints/(\\d{10,19})/.*");
    private static final Pattern CHECKPOINT_FILE = Pattern.compile("runs/(" + RUN_ID.pattern() + ")/checkpoints/(\\d{10,19})/("
            + FILE_NAME.pattern() + ")");

    private ObjectKeys() {
    }

    /** The folder of uploads of {@code content}: {@code uploads/<contentId>/}. */
    public static String uploadsOf(byte[] contentSha256) {
        if (contentSha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 has 32 bytes, not " + contentSha256.length);
        }
        return UPLOADS + HexFormat.of().formatHex(contentSha256, 0, 16) + "/";
    }

    /** An upload's key: its content's folder and a file name of letters, digits, '.', '_' and '-'. */
    public static String upload(byte[] contentSha256, String fileName) {
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("not a file name for an upload: '" + fileName + "'");
        }
        return uploadsOf(contentSha256) + fileName;
    }

    public static String sourceId(String bucket, String key, String eTag) {
        requireText(bucket, "bucket");
        requireText(key, "key");
        requireText(eTag, "eTag");
        // length prefixes: object keys may contain any character, so no separator alone keeps parts apart
        String identity = bucket.length() + ":" + bucket + key.length() + ":" + key + stripQuotes(eTag);
        return HexFormat.of().formatHex(sha256(identity.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    }

    public static String crop(String sourceId, int faceIndex) {
        if (faceIndex < 0 || faceIndex >= MAX_FACES_PER_SOURCE) {
            throw new IllegalArgumentException("faceIndex must be in 0.." + (MAX_FACES_PER_SOURCE - 1) + " but is " + faceIndex);
        }
        return CROPS + requireSourceId(sourceId) + "/" + String.format("%03d", faceIndex) + ".png";
    }

    /** Demo face {@code index}: a crop key no upload's crop can have (a source id is 32 hex digits). */
    public static String demoCrop(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0 but is " + index);
        }
        return DEMO_CROPS + String.format("%05d", index) + ".png";
    }

    public static boolean isDemoCrop(String key) {
        return key.startsWith(DEMO_CROPS);
    }

    /** Where a crop's exclusion from training is stored (faces bucket); see contracts' CropExclusion. */
    public static String exclusion(String cropKey) {
        if (cropKey == null || !cropKey.startsWith(CROPS) || cropKey.length() > 512) {
            throw new IllegalArgumentException("a crop key starts with " + CROPS + " but is '" + cropKey + "'");
        }
        return EXCLUSIONS + requireObjectKey(cropKey).substring(CROPS.length()) + ".json";
    }

    /**
     * A key a client named, as the object store takes it: not blank, at most {@value #MAX_KEY_BYTES} bytes of UTF-8,
     * no "." or ".." segment (the MinIO client refuses those) and no control character.
     *
     * @throws IllegalArgumentException why it is not one, with the key
     */
    public static String requireObjectKey(String key) {
        requireText(key, "key");
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a key has at most " + MAX_KEY_BYTES + " bytes, this one "
                    + key.getBytes(StandardCharsets.UTF_8).length);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("a key has no '.' or '..' segment: '" + key + "'");
            }
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a key has no control character");
        }
        return key;
    }

    /** The crop an exclusion key ({@link #exclusion}) is for, parsed next to where it is built; empty otherwise. */
    public static Optional<String> excludedCrop(String key) {
        if (key == null || !key.startsWith(EXCLUSIONS) || !key.endsWith(".json")) {
            return Optional.empty();
        }
        return Optional.of(CROPS + key.substring(EXCLUSIONS.length(), key.length() - ".json".length()));
    }

    /** The manifest of the upload a crop came from ({@link #crop} puts the source id in the key); empty otherwise. */
    public static Optional<String> manifestOfCrop(String cropKey) {
        java.util.regex.Matcher m = CROP_KEY.matcher(cropKey == null ? "" : cropKey);
        return m.matches() ? Optional.of(cropManifest(m.group(1))) : Optional.empty();
    }

    public static String cropManifest(String sourceId) {
        return "manifests/" + requireSourceId(sourceId) + ".json";
    }

    /** The prefix of one checkpoint directory, ending in "/". */
    public static String checkpointPrefix(String runId, long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0 but is " + step);
        }
        return runPrefix(runId) + "checkpoints/" + String.format("%010d", step) + "/";
    }

    /** A file inside a checkpoint directory; {@code relativePath} uses "/" and plain file names only. */
    public static String checkpointFile(String runId, long step, String relativePath) {
        for (String segment : relativePath.split("/", -1)) {
            if (!FILE_NAME.matcher(segment).matches()) {
                throw new IllegalArgumentException("path segment must match " + FILE_NAME + " but is '" + segment
                        + "' in '" + relativePath + "'");
            }
        }
        return checkpointPrefix(runId, step) + relativePath;
    }

    /**
     * The step whose checkpoint {@code key} completes: the key of a checkpoint's {@code fileName} directly in its
     * directory ({@link #checkpointFile}), parsed next to where it is built; empty for any other key.
     */
    public static Optional<Long> checkpointStepOf(String runId, String key, String fileName) {
        Matcher m = CHECKPOINT_FILE.matcher(key);
        if (!m.matches() || !m.group(1).equals(runId) || !m.group(3).equals(fileName)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(m.group(2)));
    }

    /** The step of the checkpoint directory {@code key} lies in, at any depth; empty for a key outside run {@code runId}'s. */
    public static Optional<Long> checkpointStepOfAnyFile(String runId, String key) {
        Matcher m = IN_CHECKPOINT.matcher(key);
        return m.matches() && m.group(1).equals(runId) ? Optional.of(Long.parseLong(m.group(2))) : Optional.empty();
    }

    /** The run a key of the models bucket belongs to ({@link #runPrefix}); empty for a key outside any run. */
    public static Optional<String> runOf(String key) {
        Matcher m = RUN_KEY.matcher(key);
        return m.lookingAt() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The run an import named {@code name} goes to: {@code import-<name>} (a name already in that form is kept). */
    public static String importRun(String name) {
        String run = name != null && name.startsWith(IMPORT_RUN_PREFIX) ? name : IMPORT_RUN_PREFIX + name;
        runPrefix(run);
        return run;
    }

    public static boolean isImportRun(String runId) {
        return runId.startsWith(IMPORT_RUN_PREFIX);
    }

    public static String latestPointer(String runId) {
        return runPrefix(runId) + "latest";
    }

    public static String grid(String runId, int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0 but is " + epoch);
        }
        return gridsPrefix(runId) + "epoch-" + String.format("%05d", epoch) + ".png";
    }

    /** Where a run's grids are ({@link #grid} keys start so). */
    public static String gridsPrefix(String runId) {
        return runPrefix(runId) + "grids/";
    }

    /** The epoch of a run's grid key ({@link #grid}); empty for any other key. */
    public static Optional<Integer> gridEpochOf(String runId, String key) {
        String prefix = gridsPrefix(runId);
        if (key == null || !key.startsWith(prefix)) {
            return Optional.empty();
        }
        Matcher m = GRID_FILE.matcher(key.substring(prefix.length()));
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    public static String runPrefix(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id must match " + RUN_ID + " but is '" + runId + "'");
        }
        return "runs/" + runId + "/";
    }

    /** S3 servers quote eTags in headers; MinIO events do not. Keys and comparisons use the bare value. */
    public static String stripQuotes(String eTag) {
        return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1) : eTag;
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    private static String requireSourceId(String sourceId) {
        if (sourceId == null || !sourceId.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("source id must be 32 lower-case hex digits but is '" + sourceId + "'");
        }
        return sourceId;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is missing or blank");
        }
    }
}
