package io.oshigan.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Value of an {@code images.uploaded} record: exactly what MinIO's Kafka notification target publishes
 * ({@code event.Log} in MinIO's source, Go field names, so the top-level keys are capitalised).
 * The record key is {@code bucket + "/" + decoded object key}.
 *
 * <p>Versioning is MinIO's: every record must have {@code eventVersion} 2.x.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record S3EventNotification(
        @JsonProperty("EventName") String eventName,
        @JsonProperty("Key") String key,
        @JsonProperty("Records") List<S3EventRecord> records) implements Contract {

    public static final EventCodec<S3EventNotification> CODEC =
            EventCodec.foreign(Topic.IMAGES_UPLOADED.topicName(), S3EventNotification.class);

    /** The Kafka record key MinIO uses for an object. */
    public static String kafkaKey(String bucket, String decodedObjectKey) {
        return bucket + "/" + decodedObjectKey;
    }

    @Override
    public void check(Checks checks) {
        checks.require(records != null && !records.isEmpty(), "Records", "must hold at least one record");
        if (records == null) {
            return;
        }
        for (int i = 0; i < records.size(); i++) {
            S3EventRecord record = records.get(i);
            String path = "Records[" + i + "]";
            if (record == null) {
                checks.notNull(null, path);
            } else {
                record.check(checks, path);
            }
        }
    }
}
