package io.oshigan.crop.domain;

import io.oshigan.contracts.S3EventNotification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class UploadEventsTest {

    @Test
    void keepsOnlyObjectsCreatedInRawWithDecodedKeys() {
        String json = """
                {"EventName":"s3:ObjectCreated:Put","Key":"raw/fan art/a.png","Records":[
                  {"eventVersion":"2.0","eventName":"s3:ObjectCreated:Put",
                   "s3":{"bucket":{"name":"raw"},"object":{"key":"fan+art%2Fa.png","size":5,"eTag":"e1","contentType":"image/png"}}},
                  {"eventVersion":"2.0","eventName":"s3:ObjectRemoved:Delete",
                   "s3":{"bucket":{"name":"raw"},"object":{"key":"old.png"}}},
                  {"eventVersion":"2.0","eventName":"s3:ObjectCreated:Copy",
                   "s3":{"bucket":{"name":"faces"},"object":{"key":"x.png","size":1,"eTag":"e2"}}}]}""";
        S3EventNotification event = S3EventNotification.CODEC.decode(json.getBytes(StandardCharsets.UTF_8));

        assertThat(UploadEvents.createdImages(event))
                .containsExactly(new UploadedImage("raw", "fan art/a.png", "e1", 5, "image/png"));
    }
}
