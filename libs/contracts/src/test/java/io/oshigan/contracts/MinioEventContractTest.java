package io.oshigan.contracts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.messages.NotificationRecords;
import io.oshigan.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MinioEventContractTest {

    static byte[] minioSample() throws IOException {
        return Files.readAllBytes(Fixtures.path("minio-kafka-event.json"));
    }

    @Test
    void readsTheEventMinioPublishes() throws IOException {
        S3EventNotification event = S3EventNotification.CODEC.decode(minioSample());

        assertThat(event.eventName()).isEqualTo("s3:ObjectCreated:Put");
        assertThat(event.key()).isEqualTo("crops/field-7/tile 0001.png");
        S3EventRecord record = event.records().get(0);
        assertThat(record.isObjectCreated()).isTrue();
        assertThat(record.eventInstant()).hasToString("2026-11-29T01:02:03.456Z");
        assertThat(record.s3().bucket().name()).isEqualTo("crops");
        assertThat(record.s3().object().key()).isEqualTo("field-7%2Ftile+0001.png");
        assertThat(record.s3().object().decodedKey()).isEqualTo("field-7/tile 0001.png");
        assertThat(record.s3().object().size()).isEqualTo(1048576L);
        assertThat(record.s3().object().eTag()).isEqualTo("d4d305d66203828268e5539e1c581f47");
        assertThat(record.s3().object().contentType()).isEqualTo("image/png");
        assertThat(record.s3().object().sequencer()).isEqualTo("187C4A1B2C3D4E5F");
        assertThat(S3EventNotification.kafkaKey("crops", record.s3().object().decodedKey())).isEqualTo(event.key());
    }

    @Test
    void whatWeEncodeMinioJavaReadsAndWeReadBack() throws IOException {
        S3EventNotification original = S3EventNotification.CODEC.decode(minioSample());
        byte[] encoded = S3EventNotification.CODEC.encode(original);

        assertThat(S3EventNotification.CODEC.decode(encoded)).isEqualTo(original);
        NotificationRecords parsedByMinio = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(encoded, NotificationRecords.class);
        assertThat(parsedByMinio.events()).hasSize(1);
        assertThat(parsedByMinio.events().get(0).objectName()).isEqualTo("field-7%2Ftile+0001.png");
        assertThat(parsedByMinio.events().get(0).objectSize()).isEqualTo(1048576L);
        assertThat(parsedByMinio.events().get(0).bucketName()).isEqualTo("crops");
    }

    @Test
    void toleratesUnknownFieldsAndDeleteEventsWithoutSize() {
        String json = """
                {"EventName":"s3:ObjectRemoved:Delete","Key":"raw/a b.png","Future":{"x":1},
                 "Records":[{"eventVersion":"2.0","eventName":"s3:ObjectRemoved:Delete","newField":true,
                   "s3":{"bucket":{"name":"raw"},"object":{"key":"a+b.png","sequencer":"1"}}}]}""";
        S3EventNotification event = S3EventNotification.CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(event.records().get(0).isObjectCreated()).isFalse();
        assertThat(event.records().get(0).s3().object().decodedKey()).isEqualTo("a b.png");
    }

    @Test
    void rejectsWhatIsNotJson() {
        assertRejected("not json at all", "value is not valid JSON");
        assertRejected("", "record value is empty");
        assertRejected("[1,2]", "value must be a JSON object but is ARRAY");
    }

    @Test
    void rejectsMissingRecordsAndNamesTheField() {
        assertRejected("{\"EventName\":\"s3:ObjectCreated:Put\"}", "Records must hold at least one record");
        assertRejected("{\"Records\":[{\"eventVersion\":\"2.0\",\"eventName\":\"s3:ObjectCreated:Put\","
                        + "\"s3\":{\"bucket\":{\"name\":\"raw\"},\"object\":{\"eTag\":\"e\",\"size\":3}}}]}",
                "Records[0].s3.object.key is missing or blank");
        assertRejected("{\"Records\":[{\"eventVersion\":\"2.0\",\"eventName\":\"s3:ObjectCreated:Put\","
                        + "\"s3\":{\"bucket\":{\"name\":\"raw\"},\"object\":{\"key\":\"a.png\"}}}]}",
                "Records[0].s3.object.size is missing");
        assertRejected("{\"Records\":[{\"eventVersion\":\"2.0\",\"eventName\":\"s3:ObjectCreated:Put\","
                        + "\"s3\":{\"bucket\":{\"name\":\"raw\"},\"object\":{\"key\":\"a%zz.png\",\"eTag\":\"e\",\"size\":3}}}]}",
                "Records[0].s3.object.key is not URL-encoded");
    }

    @Test
    void rejectsAnUnknownEventVersion() throws IOException {
        String json = new String(minioSample(), StandardCharsets.UTF_8).replace("\"2.0\"", "\"3.0\"");
        assertRejected(json, "Records[0].eventVersion is unsupported: '3.0' (supported: 2.x)");
    }

    @Test
    void rejectsWrongTypesWithThePath() throws IOException {
        String json = new String(minioSample(), StandardCharsets.UTF_8).replace("1048576", "\"big\"");
        assertRejected(json, "at Records[0].s3.object.size");
    }

    private static void assertRejected(String json, String reason) {
        assertThatThrownBy(() -> S3EventNotification.CODEC.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ContractViolationException.class)
                .hasMessageStartingWith("images.uploaded: ")
                .hasMessageContaining(reason);
    }
}
