package io.oshigan.local;

import io.oshigan.contracts.S3Entity;
import io.oshigan.contracts.S3EventNotification;
import io.oshigan.contracts.S3EventRecord;
import io.oshigan.contracts.S3Object;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds bucket notifications exactly as MinIO's Kafka target fills them (event.Log, see MinIO's
 * internal/event/event.go and cmd/event-notification.go), so consumers have one code path locally and in Kubernetes.
 */
final class MinioEvents {
    static final String EVENT_SOURCE = "minio:s3";
    static final String S3_SCHEMA_VERSION = "1.0";
    static final String CONFIGURATION_ID = "Config";
    static final String DEPLOYMENT_ID = "oshigan-local-stack";

    private MinioEvents() {
    }

    record CreatedObject(String bucket, String key, long size, String eTag, String contentType,
                         Map<String, String> userMetadata) {
    }

    static S3EventNotification objectCreated(String eventName, CreatedObject object, String accessKey,
                                             String originEndpoint, Instant time) {
        // MinIO's sequencer and request id: the event time in nanoseconds, upper-case hex
        String sequencer = String.format("%X", time.getEpochSecond() * 1_000_000_000L + time.getNano());
        S3Object s3Object = new S3Object(S3Object.encodeKey(object.key()), object.size(), object.eTag(),
                object.contentType(), object.userMetadata(), null, sequencer);
        S3Entity.Bucket bucket = new S3Entity.Bucket(object.bucket(), Map.of("principalId", accessKey),
                "arn:aws:s3:::" + object.bucket());
        S3EventRecord record = new S3EventRecord(
                S3EventRecord.EVENT_VERSION, EVENT_SOURCE, "", S3EventRecord.EVENT_TIME_FORMAT.format(time), eventName,
                Map.of("principalId", accessKey),
                Map.of("principalId", accessKey, "region", "", "sourceIPAddress", "127.0.0.1"),
                Map.of("x-amz-request-id", sequencer, "x-amz-id-2", "",
                        "x-minio-deployment-id", DEPLOYMENT_ID, "x-minio-origin-endpoint", originEndpoint),
                new S3Entity(S3_SCHEMA_VERSION, CONFIGURATION_ID, bucket, s3Object),
                Map.of("host", "127.0.0.1", "port", "", "userAgent", "oshigan-local-stack"));
        return new S3EventNotification(eventName, S3EventNotification.kafkaKey(object.bucket(), object.key()),
                List.of(record));
    }
}
