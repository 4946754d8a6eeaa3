package io.oshigan.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects contract violations with the JSON path of each, so one rejection names every problem. */
final class Checks {
    private final List<String> problems = new ArrayList<>();

    Checks require(boolean condition, String path, String problem) {
        if (!condition) {
            problems.add(path + " " + problem);
        }
        return this;
    }

    Checks notBlank(String value, String path) {
        return require(value != null && !value.isBlank(), path, "is missing or blank");
    }

    Checks notNull(Object value, String path) {
        return require(value != null, path, "is missing");
    }

    Checks nonNegative(Number value, String path) {
        if (value == null) {
            return notNull(null, path);
        }
        return require(value.doubleValue() >= 0, path, "must be >= 0 but is " + value);
    }

    Checks matches(String value, Pattern pattern, String path) {
        if (value == null) {
            return notNull(null, path);
        }
        return require(pattern.matcher(value).matches(), path, "must match " + pattern + " but is '" + value + "'");
    }

    boolean ok() {
        return problems.isEmpty();
    }

    void throwIfAny(String contract) {
        if (!problems.isEmpty()) {
            throw new ContractViolationException(contract, String.join("; ", problems));
        }
    }
}
