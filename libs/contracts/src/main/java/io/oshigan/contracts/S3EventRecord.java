package io.oshigan.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/** One entry of {@code Records}: the AWS S3 event message structure as MinIO fills it. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record S3EventRecord(
        String eventVersion,
        String eventSource,
        String awsRegion,
        String eventTime,
        String eventName,
        Map<String, String> userIdentity,
        Map<String, String> requestParameters,
        Map<String, String> responseElements,
        S3Entity s3,
        Map<String, String> source) {

    public static final String EVENT_VERSION = "2.0";
    public static final String OBJECT_CREATED_PREFIX = "s3:ObjectCreated:";
    /** MinIO writes event times with millisecond precision; minio-java's own parser insists on it. */
    public static final DateTimeFormatter EVENT_TIME_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final Pattern SUPPORTED_VERSION = Pattern.compile("2(\\.\\d+)?");
    private static final Pattern EVENT_NAME = Pattern.compile("s3:[A-Za-z]+:[A-Za-z*]+");

    public boolean isObjectCreated() {
        return eventName != null && eventName.startsWith(OBJECT_CREATED_PREFIX);
    }

    public Instant eventInstant() {
        return Instant.parse(eventTime);
    }

    void check(Checks checks, String path) {
        if (eventVersion != null && !SUPPORTED_VERSION.matcher(eventVersion).matches()) {
            checks.require(false, path + ".eventVersion", "is unsupported: '" + eventVersion + "' (supported: 2.x)");
        } else {
            checks.notBlank(eventVersion, path + ".eventVersion");
        }
        checks.matches(eventName, EVENT_NAME, path + ".eventName");
        if (eventTime != null) {
            checks.require(parses(eventTime), path + ".eventTime", "is not an ISO-8601 instant: '" + eventTime + "'");
        }
        if (s3 == null) {
            checks.notNull(null, path + ".s3");
        } else {
            s3.check(checks, path + ".s3", isObjectCreated());
        }
    }

    private static boolean parses(String time) {
        try {
            Instant.parse(time);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
