package io.oshigan.gateway;

import io.oshigan.contracts.CropExclusion;
import io.oshigan.contracts.CropManifest;
import io.oshigan.contracts.FaceCropped;
import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** What the page shows of the data set: each upload's outcome and pictures, and the exclusion of crops from training. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(StubBackends.class)
class DatasetCurationTest {
    @Inject
    ObjectStore store;

    @Test
    void theUploadHistoryShowsEachUploadsFacesBoxesAndReasonsNewestFirst() throws Exception {
        String prefix = "history-" + UUID.randomUUID() + "/";
        String good = prefix + "good.png";
        String broken = prefix + "broken.png";
        String eTag = store.put(Bucket.RAW, good, StubBackends.face(), "image/png").eTag();
        Thread.sleep(1100); // S3 keeps seconds: the second upload is newer
        String brokenETag = store.put(Bucket.RAW, broken, StubBackends.face(), "image/png").eTag();
        String source = ObjectKeys.sourceId("raw", good, eTag);
        store.put(Bucket.FACES, ObjectKeys.crop(source, 0), StubBackends.face(), "image/png");
        manifest(source, CropManifest.of("raw", good, eTag, List.of(new CropManifest.Entry(0, ObjectKeys.crop(source, 0),
                new FaceCropped.Box(4, 5, 60, 61), "0".repeat(64))), Instant.now()));
        manifest(ObjectKeys.sourceId("raw", broken, brokenETag),
                CropManifest.rejected("raw", broken, brokenETag, "undecodable: the PNG ends early", Instant.now()));

        given().get("/api/dataset/uploads").then().statusCode(401); // what people uploaded is private
        given().get("/api/dataset/images/raw?key=" + good).then().statusCode(401);
        // however the path is spelled: the check goes by the resource it reaches, not by the string
        given().urlEncodingEnabled(false).get("/api/dataset/uploads/").then().statusCode(401);
        given().urlEncodingEnabled(false).get("/api/dataset/uploads;x=1").then().statusCode(401);
        given().urlEncodingEnabled(false).get("/api/dataset/images/raw/?key=" + good).then().statusCode(401);
        given().urlEncodingEnabled(false).get("/api/dataset/images//raw?key=" + good).then().statusCode(401);
        JsonPath page = given().header("X-API-Key", GatewayApiTest.KEY).get("/api/dataset/uploads?size=50").then()
                .statusCode(200).extract().jsonPath();
        List<Map<String, Object>> uploads = page.getList("uploads");
        List<String> keys = uploads.stream().map(u -> (String) u.get("key")).filter(k -> k.startsWith(prefix)).toList();
        assertThat(keys).as("newest first").containsExactly(broken, good);
        Map<String, Object> cropped = uploads.stream().filter(u -> good.equals(u.get("key"))).findFirst().orElseThrow();
        assertThat(cropped).containsEntry("status", "CROPPED").containsEntry("faces", 1);
        assertThat((List<?>) cropped.get("crops")).singleElement().asString()
                .contains("x=4").contains("y=5").contains("width=60").contains("height=61");
        Map<String, Object> refused = uploads.stream().filter(u -> broken.equals(u.get("key"))).findFirst().orElseThrow();
        assertThat(refused).containsEntry("status", "REJECTED").containsEntry("rejectedReason", "undecodable: the PNG ends early");
        given().header("X-API-Key", GatewayApiTest.KEY).get("/api/dataset/uploads?size=51").then().statusCode(400);

        // the pictures behind it, served as the images their bytes are
        byte[] served = given().header("X-API-Key", GatewayApiTest.KEY).get("/api/dataset/images/raw?key=" + good).then()
                .statusCode(200).contentType("image/png").header("X-Content-Type-Options", "nosniff").extract().asByteArray();
        assertThat(served).isEqualTo(StubBackends.face());
        given().get("/api/dataset/images/crop?key=" + ObjectKeys.crop(source, 0)).then().statusCode(200).contentType("image/png");
        store.put(Bucket.RAW, prefix + "page.png", "<html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8), "image/png");
        given().header("X-API-Key", GatewayApiTest.KEY).get("/api/dataset/images/raw?key=" + prefix + "page.png").then().statusCode(415)
                .body("error", containsString("not an image"));
        given().get("/api/dataset/images/crop?key=manifests/" + source + ".json").then().statusCode(400);
        given().header("X-API-Key", GatewayApiTest.KEY).get("/api/dataset/images/raw?key=" + prefix + "missing.png").then()
                .statusCode(404);
    }

    @Test
    void aKeyholderExcludesACropAndBringsItBackAndTheExclusionIsStoredAsItsContract() {
        String source = ObjectKeys.sourceId("raw", "curated-" + UUID.randomUUID() + ".png", "e1");
        String crop = ObjectKeys.crop(source, 0);
        store.put(Bucket.FACES, crop, StubBackends.face(), "image/png");

        given().put("/api/dataset/crops/exclusion?key=" + crop).then().statusCode(401);
        given().header("X-API-Key", GatewayApiTest.KEY).put("/api/dataset/crops/exclusion?key=" + crop).then()
                .statusCode(200).body("excluded", equalTo(true));
        CropExclusion stored = CropExclusion.CODEC.decode(store.get(Bucket.FACES, ObjectKeys.exclusion(crop)));
        assertThat(stored.cropKey()).isEqualTo(crop);
        Map<String, Object> face = face(crop);
        assertThat(face).containsEntry("excluded", true);

        given().header("X-API-Key", GatewayApiTest.KEY).delete("/api/dataset/crops/exclusion?key=" + crop).then()
                .statusCode(200).body("excluded", equalTo(false));
        assertThat(store.exists(Bucket.FACES, ObjectKeys.exclusion(crop))).isFalse();
        assertThat(face(crop)).containsEntry("excluded", false);

        given().header("X-API-Key", GatewayApiTest.KEY).put("/api/dataset/crops/exclusion?key=crops/" + source + "/009.png")
                .then().statusCode(404).body("error", containsString("no crop"));
        given().header("X-API-Key", GatewayApiTest.KEY).put("/api/dataset/crops/exclusion?key=manifests/x.json")
                .then().statusCode(400);
    }

    /** A key the object store would not take is the client's mistake: a 400 with the reason, not a 500. */
    @Test
    void aMalformedKeyIsA400WithItsReason() {
        given().get("/api/dataset/upload?key=&eTag=").then().statusCode(400);
        given().urlEncodingEnabled(false).get("/api/dataset/upload?key=uploads/a.png&eTag=%20").then().statusCode(400)
                .body("error", containsString("eTag is missing or blank"));
        given().get("/api/dataset/upload?key=uploads/../x&eTag=e1").then().statusCode(400)
                .body("error", containsString("'..' segment"));
        given().header("X-API-Key", GatewayApiTest.KEY).get("/api/dataset/images/raw?key=uploads/../x").then().statusCode(400).body("error", containsString("'..' segment"));
        given().get("/api/dataset/images/crop?key=crops/./000.png").then().statusCode(400).body("error", containsString("'.' or '..'"));
        given().header("X-API-Key", GatewayApiTest.KEY).put("/api/dataset/crops/exclusion?key=crops/./x").then().statusCode(400).body("error", containsString("'.' or '..'"));
        given().header("X-API-Key", GatewayApiTest.KEY).delete("/api/dataset/crops/exclusion?key=crops/./x").then().statusCode(400);
    }

    @Test
    void theDemosSyntheticFacesAreMarkedAndCounted() {
        String upload = ObjectKeys.crop(ObjectKeys.sourceId("raw", "marked-" + UUID.randomUUID() + ".png", "e1"), 0);
        String demo = ObjectKeys.demoCrop(99_998);
        store.put(Bucket.FACES, upload, StubBackends.face(), "image/png");
        store.put(Bucket.FACES, demo, StubBackends.face(), "image/png");

        assertThat(face(upload)).containsEntry("demo", false);
        assertThat(face(demo)).containsEntry("demo", true);
        // a parameter that is not a number: a 400 that says so (JAX-RS alone answers a bare 404)
        given().get("/api/dataset/crops?page=first").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("a parameter that must be a whole number is not one: For input string: \"first\""));
        int counted = given().get("/api/dataset/crops?size=1").then().statusCode(200).extract().jsonPath().getInt("demo");
        assertThat(counted).as("the demo's faces in training (in demo runs)").isGreaterThanOrEqualTo(1);
    }

    /** As the trainer counts them: crops of the same bytes are one face, trained once, out if either is excluded. */
    @Test
    void cropsOfTheSameBytesAreOneFaceAndOutIfEitherIsExcluded() throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(96, 96, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, new java.util.Random().nextInt(1 << 24)); // bytes of their own among the tests' crops
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", png);
        String id = UUID.randomUUID().toString();
        String a = ObjectKeys.crop(ObjectKeys.sourceId("raw", "same-" + id + "-a.png", "e"), 0);
        String b = ObjectKeys.crop(ObjectKeys.sourceId("raw", "same-" + id + "-b.png", "e"), 0);
        String first = a.compareTo(b) < 0 ? a : b;
        String second = first.equals(a) ? b : a;
        store.put(Bucket.FACES, first, png.toByteArray(), "image/png");
        Map<String, Object> before = counts();
        store.put(Bucket.FACES, second, png.toByteArray(), "image/png");

        assertThat(face(second)).containsEntry("duplicateOf", first);
        assertThat(face(first)).doesNotContainKey("duplicateOf");
        Map<String, Object> after = counts();
        assertThat((int) after.get("total")).isEqualTo((int) before.get("total") + 1);
        assertThat((int) after.get("duplicates")).isEqualTo((int) before.get("duplicates") + 1);
        assertThat(after.get("included")).as("one face, in training once").isEqualTo(before.get("included"));

        given().header("X-API-Key", GatewayApiTest.KEY).put("/api/dataset/crops/exclusion?key=" + second).then().statusCode(200);
        assertThat((int) counts().get("included")).as("the face is out by its duplicate's exclusion")
                .isEqualTo((int) before.get("included") - 1);
        given().header("X-API-Key", GatewayApiTest.KEY).put("/api/dataset/crops/exclusion?key=" + first).then().statusCode(200);
        assertThat((int) counts().get("included")).as("both excluded: still one face out")
                .isEqualTo((int) before.get("included") - 1);
        for (String crop : List.of(first, second)) {
            given().header("X-API-Key", GatewayApiTest.KEY).delete("/api/dataset/crops/exclusion?key=" + crop).then().statusCode(200);
        }
        assertThat(counts().get("included")).isEqualTo(before.get("included"));
    }

    private Map<String, Object> counts() {
        return given().get("/api/dataset/crops?size=1").then().statusCode(200).extract().jsonPath().getMap("$");
    }

    private Map<String, Object> face(String crop) {
        List<Map<String, Object>> faces = given().get("/api/dataset/crops?size=50").then().statusCode(200).extract()
                .jsonPath().getList("faces");
        return faces.stream().filter(f -> crop.equals(f.get("cropKey"))).findFirst().orElseThrow();
    }

    private void manifest(String source, CropManifest manifest) {
        store.put(Bucket.FACES, ObjectKeys.cropManifest(source), CropManifest.CODEC.encode(manifest), "application/json");
    }
}
