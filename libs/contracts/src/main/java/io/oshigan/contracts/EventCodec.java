package io.oshigan.contracts;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.util.Set;
import java.util.TreeSet;

/**
 * JSON encoding and strict decoding of one contract. Decoding never returns an invalid value: it throws
 * {@link ContractViolationException} with a reason that names the offending field. Unknown fields are tolerated,
 * so producers may add fields within a schema version.
 */
public final class EventCodec<T> {
    public static final String SCHEMA_VERSION_FIELD = "schemaVersion";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private final String contract;
    private final Class<T> type;
    private final Set<Integer> supportedSchemaVersions;

    private EventCodec(String contract, Class<T> type, Set<Integer> supportedSchemaVersions) {
        this.contract = contract;
        this.type = type;
        this.supportedSchemaVersions = supportedSchemaVersions;
    }

    /** A contract of ours: the JSON object carries an integer {@value #SCHEMA_VERSION_FIELD}. */
    static <T extends Contract> EventCodec<T> versioned(String contract, Class<T> type, int... supported) {
        Set<Integer> versions = new TreeSet<>();
        for (int v : supported) {
            versions.add(v);
        }
        return new EventCodec<>(contract, type, Set.copyOf(versions));
    }

    /** A foreign contract (MinIO's) whose versioning lives inside the value and is checked by the record itself. */
    static <T extends Contract> EventCodec<T> foreign(String contract, Class<T> type) {
        return new EventCodec<>(contract, type, Set.of());
    }

    public String contract() {
        return contract;
    }

    public T decode(byte[] value) {
        if (value == null || value.length == 0) {
            throw new ContractViolationException(contract, "record value is empty");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(value);
        } catch (JacksonException e) {
            throw new ContractViolationException(contract, "value is not valid JSON: " + firstLine(e), e);
        } catch (java.io.IOException e) {
            throw new ContractViolationException(contract, "value could not be read: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ContractViolationException(contract, "value must be a JSON object but is "
                    + (tree == null ? "nothing" : tree.getNodeType()));
        }
        checkSchemaVersion(tree);
        T decoded;
        try {
            decoded = MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new ContractViolationException(contract, "value does not fit the contract: " + firstLine(e), e);
        } catch (IllegalArgumentException e) {
            throw new ContractViolationException(contract, "value does not fit the contract: " + e.getMessage(), e);
        }
        check(decoded);
        return decoded;
    }

    /** Encodes a value after checking it, so an invalid record is never produced. */
    public byte[] encode(T value) {
        check(value);
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(contract + " could not be encoded", e);
        }
    }

    private void check(T value) {
        Checks checks = new Checks();
        ((Contract) value).check(checks);
        checks.throwIfAny(contract);
    }

    private void checkSchemaVersion(JsonNode tree) {
        if (supportedSchemaVersions.isEmpty()) {
            return;
        }
        JsonNode version = tree.get(SCHEMA_VERSION_FIELD);
        if (version == null || version.isNull()) {
            throw new ContractViolationException(contract, SCHEMA_VERSION_FIELD + " is missing");
        }
        if (!version.isInt()) {
            throw new ContractViolationException(contract,
                    SCHEMA_VERSION_FIELD + " must be an integer but is " + version);
        }
        if (!supportedSchemaVersions.contains(version.intValue())) {
            throw new ContractViolationException(contract, "unsupported " + SCHEMA_VERSION_FIELD + " "
                    + version.intValue() + " (supported: " + supportedSchemaVersions + ")");
        }
    }

    private static String firstLine(JacksonException e) {
        String message = e.getOriginalMessage();
        String location = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        String path = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? " at " + jsonPath(mapping) : "";
        return message.lines().findFirst().orElse(message) + path + location;
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
