package io.oshigan.sampler;

import io.oshigan.dcgan.translate.Latents;
import io.oshigan.storage.CheckpointStore;
import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.StringJoiner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code grid-overlap} on, a grid of two rows or more is generated as two session runs at once, each half's PNG
 * part written by its thread; the file is the one the same faces give from one run (here: the latents endpoint).
 */
@QuarkusTest
@TestProfile(GridOverlapTest.Overlap.class)
@WithTestResource(LocalStackResource.class)
class GridOverlapTest {
    static final String RUN = "overlap-run";

    public static class Overlap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oshigan.sampler.grid-overlap", "true", "oshigan.sampler.run", "overlap-followed-run");
        }
    }

    @Inject
    CheckpointStore store;

    @Test
    void aGridInTwoRunsIsTheFileOfOneRun() throws Exception {
        TestModels.upload(store, RUN, 1, 77);
        String version = RUN + "@1";
        given().get("/api/v1/faces/1?version=" + version).then().statusCode(200); // loaded

        long batched = batches();
        given().get("/api/v1/faces/3?version=" + version).then().statusCode(200);
        assertThat(batches() - batched).as("a single face goes through the batcher").isEqualTo(1);

        for (int[] shape : new int[][]{{20, 8}, {64, 8}, {9, 8}}) {
            int n = shape[0];
            long before = sessionRuns();
            long batchedBefore = batches();
            byte[] grid = given().get("/api/v1/faces/grid?seed=5&n=" + n + "&columns=" + shape[1] + "&version=" + version)
                    .then().statusCode(200).contentType("image/png").extract().asByteArray();
            long gridRuns = sessionRuns() - before;
            long gridBatches = batches() - batchedBefore;

            float[] z = Latents.fromSeed(5, n, TestModels.SMALL.nz(), Latents.Truncation.NONE, 0);
            StringJoiner rows = new StringJoiner(",", "[", "]");
            for (int k = 0; k < n; k++) {
                StringJoiner row = new StringJoiner(",", "[", "]");
                for (int i = 0; i < TestModels.SMALL.nz(); i++) {
                    row.add(Float.toString(z[k * TestModels.SMALL.nz() + i]));
                }
                rows.add(row.toString());
            }
            before = sessionRuns();
            byte[] oneRun = given().contentType("application/json")
                    .body("{\"latents\": " + rows + ", \"version\": \"" + version + "\"}")
                    .post("/api/v1/faces/latents").then().statusCode(200).extract().asByteArray();
            assertThat(sessionRuns() - before).as("the latents' grid of %d", n).isEqualTo(1);

            assertThat(gridRuns).as("session runs for a grid of %d", n).isEqualTo(n >= 16 ? 2 : 1);
            assertThat(gridBatches).as("batcher runs for a grid of %d (a split one runs alone)", n).isEqualTo(n >= 16 ? 0 : 1);
            assertThat(grid).as("grid of %d", n).isEqualTo(oneRun);
        }
    }

    private static long sessionRuns() {
        return count("oshigan_sampler_generate_seconds_count");
    }

    /** Batches the batcher's workers formed (each records its wait). */
    private static long batches() {
        return count("oshigan_sampler_batch_wait_seconds_count");
    }

    private static long count(String metric) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(metric))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
