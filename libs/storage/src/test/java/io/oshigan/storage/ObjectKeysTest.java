package io.oshigan.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectKeysTest {

    @Test
    void sourceIdIsDeterministicAndIgnoresETagQuotes() {
        String id = ObjectKeys.sourceId("raw", "fan art/miku.png", "d4d305d6");
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(ObjectKeys.sourceId("raw", "fan art/miku.png", "\"d4d305d6\"")).isEqualTo(id);
    }

    /** An upload's folder is its content's: sha256("abc") begins ba7816bf8f01cfea414140de5dae2223. */
    @Test
    void uploadsAreFiledByTheirContent() throws Exception {
        byte[] abc = java.security.MessageDigest.getInstance("SHA-256").digest("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(ObjectKeys.uploadsOf(abc)).isEqualTo("uploads/ba7816bf8f01cfea414140de5dae2223/");
        assertThat(ObjectKeys.upload(abc, "miku.png")).isEqualTo("uploads/ba7816bf8f01cfea414140de5dae2223/miku.png");
        assertThatThrownBy(() -> ObjectKeys.upload(abc, "../miku.png")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectKeys.uploadsOf(new byte[16])).hasMessage("a SHA-256 has 32 bytes, not 16");
    }

    /**
     * Pinned values: every crop in every bucket is named by this function, so a change of scheme would make the
     * crop-service re-crop every upload it has ever seen. Computed independently as the first 32 hex digits of
     * sha256("3:raw" + len(key) + ":" + key + eTag).
     */
    @Test
    void sourceIdsAreStableAcrossVersions() {
        assertThat(ObjectKeys.sourceId("raw", "fan art/miku.png", "d4d305d6")).isEqualTo("cfdad25c7e07c5923953c87230d252cb");
        assertThat(ObjectKeys.sourceId("raw", "\u00fcn\u00efcode/\u9854.png", "0123abcd-2")).isEqualTo("60c3524fe2891f6607f7377728b24e60");
        assertThat(ObjectKeys.crop("cfdad25c7e07c5923953c87230d252cb", 12)).isEqualTo("crops/cfdad25c7e07c5923953c87230d252cb/012.png");
    }

    /** Pinned too: a demo trainer finds the faces an earlier demo wrote by these keys, and writes only the missing. */
    @Test
    void demoCropsAreCropsNoUploadsCropCanBe() {
        assertThat(ObjectKeys.demoCrop(7)).isEqualTo("crops/demo/00007.png").startsWith(ObjectKeys.CROPS);
        assertThat(ObjectKeys.isDemoCrop(ObjectKeys.demoCrop(2999))).isTrue();
        assertThat(ObjectKeys.isDemoCrop(ObjectKeys.crop(ObjectKeys.sourceId("raw", "demo/00007.png", "e1"), 0))).isFalse();
        assertThatThrownBy(() -> ObjectKeys.demoCrop(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNewVersionOrAnotherKeyIsAnotherSource() {
        String id = ObjectKeys.sourceId("raw", "a.png", "e1");
        assertThat(ObjectKeys.sourceId("raw", "a.png", "e2")).isNotEqualTo(id);
        assertThat(ObjectKeys.sourceId("raw", "b.png", "e1")).isNotEqualTo(id);
        assertThat(ObjectKeys.sourceId("other", "a.png", "e1")).isNotEqualTo(id);
        // the separator keeps ("ab", "c") and ("a", "bc") apart
        assertThat(ObjectKeys.sourceId("raw", "a\nb", "c")).isNotEqualTo(ObjectKeys.sourceId("raw", "a", "b\nc"));
    }

    @Test
    void aGridKeyGivesBackItsEpochAndNothingElseDoes() {
        assertThat(ObjectKeys.gridEpochOf("demo", ObjectKeys.grid("demo", 42))).contains(42);
        assertThat(ObjectKeys.gridEpochOf("demo", "runs/demo/grids/epoch-00042.png.tmp")).isEmpty();
        assertThat(ObjectKeys.gridEpochOf("demo", "runs/demo/grids/latest.png")).isEmpty();
        assertThat(ObjectKeys.gridEpochOf("demo", ObjectKeys.grid("other", 1))).isEmpty();
    }

    @Test
    void cropAndManifestKeysFollowTheScheme() {
        String id = ObjectKeys.sourceId("raw", "a.png", "e1");
        assertThat(ObjectKeys.crop(id, 7)).isEqualTo("crops/" + id + "/007.png");
        assertThat(ObjectKeys.cropManifest(id)).isEqualTo("manifests/" + id + ".json");
        assertThatThrownBy(() -> ObjectKeys.crop("../x", 0)).hasMessageContaining("source id");
        assertThatThrownBy(() -> ObjectKeys.crop(id, -1)).hasMessageContaining("faceIndex");
    }

    @Test
    void anExclusionKeyNamesItsCropAndACropItsUploadsManifest() {
        String id = ObjectKeys.sourceId("raw", "a.png", "e1");
        String crop = ObjectKeys.crop(id, 2);
        assertThat(ObjectKeys.exclusion(crop)).isEqualTo("exclusions/" + id + "/002.png.json");
        assertThat(ObjectKeys.excludedCrop(ObjectKeys.exclusion(crop))).contains(crop);
        assertThat(ObjectKeys.excludedCrop(ObjectKeys.exclusion("crops/demo/00001.png"))).contains("crops/demo/00001.png");
        assertThat(ObjectKeys.excludedCrop("manifests/x.json")).isEmpty();
        assertThat(ObjectKeys.manifestOfCrop(crop)).contains(ObjectKeys.cropManifest(id));
        assertThat(ObjectKeys.manifestOfCrop("crops/demo/00001.png")).as("a synthetic face has no upload").isEmpty();
        assertThatThrownBy(() -> ObjectKeys.exclusion("manifests/x.json")).hasMessageContaining("crops/");
        assertThatThrownBy(() -> ObjectKeys.exclusion("crops/../raw/secret")).hasMessageContaining("'..' segment");
        assertThatThrownBy(() -> ObjectKeys.exclusion("crops/./x.png")).hasMessageContaining("'.' or '..' segment");
    }

    @Test
    void aKeyAClientNamesIsOneTheObjectStoreTakes() {
        assertThat(ObjectKeys.requireObjectKey("uploads/ab/x..y.png")).isEqualTo("uploads/ab/x..y.png");
        assertThat(ObjectKeys.requireObjectKey("fan art/a b.png")).isEqualTo("fan art/a b.png");
        for (String bad : new String[]{"uploads/../x", "./x", "a/.", "..", "a/\n", "  "}) {
            assertThatThrownBy(() -> ObjectKeys.requireObjectKey(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ObjectKeys.requireObjectKey(null)).hasMessageContaining("key is missing");
        assertThatThrownBy(() -> ObjectKeys.requireObjectKey("é".repeat(513))).hasMessageContaining("at most 1024 bytes");
    }

    @Test
    void modelKeysSortByStepAndEpoch() {
        assertThat(ObjectKeys.checkpointFile("run-1", 1234, "generator/saved_model.pb"))
                .isEqualTo("runs/run-1/checkpoints/0000001234/generator/saved_model.pb");
        assertThat(ObjectKeys.checkpointPrefix("run-1", 99)).isLessThan(ObjectKeys.checkpointPrefix("run-1", 100));
        assertThat(ObjectKeys.latestPointer("run-1")).isEqualTo("runs/run-1/latest");
        assertThat(ObjectKeys.grid("run-1", 12)).isEqualTo("runs/run-1/grids/epoch-00012.png");
        assertThatThrownBy(() -> ObjectKeys.runPrefix("../../etc")).hasMessageContaining("run id must match");
        assertThatThrownBy(() -> ObjectKeys.checkpointFile("run-1", 1, "../x")).hasMessageContaining("path segment");
        assertThatThrownBy(() -> ObjectKeys.checkpointFile("run-1", 1, "a//b")).hasMessageContaining("path segment");
    }

    @Test
    void sha256HexMatchesAKnownVector() {
        assertThat(ObjectKeys.sha256Hex("abc".getBytes()))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void checkpointKeysAreParsedAsTheyAreBuilt() {
        String manifest = ObjectKeys.checkpointFile("run-1", 1200, "manifest.json");
        assertThat(ObjectKeys.checkpointStepOf("run-1", manifest, "manifest.json")).hasValue(1200L);
        assertThat(ObjectKeys.checkpointStepOf("run-1", ObjectKeys.checkpointFile("run-1", 1_796_143_560_377L, "manifest.json"),
                "manifest.json")).hasValue(1_796_143_560_377L);
        assertThat(ObjectKeys.checkpointStepOf("run-2", manifest, "manifest.json")).isEmpty();
        assertThat(ObjectKeys.checkpointStepOf("run-1", ObjectKeys.checkpointFile("run-1", 5, "generator/manifest.json"),
                "manifest.json")).as("a file deeper in the directory").isEmpty();
        assertThat(ObjectKeys.checkpointStepOf("run-1", ObjectKeys.checkpointPrefix("run-1", 5), "manifest.json")).isEmpty();
        assertThat(ObjectKeys.runOf(ObjectKeys.grid("import-ref", 3))).hasValue("import-ref");
        assertThat(ObjectKeys.runOf("runs/")).isEmpty();
        assertThat(ObjectKeys.runOf("grids/x.png")).isEmpty();
    }
}
