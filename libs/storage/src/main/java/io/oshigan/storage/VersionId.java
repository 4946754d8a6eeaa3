package io.oshigan.storage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A generator version: the checkpoint of a run at a step, written {@code run@step} in APIs, logs and metrics. */
public record VersionId(String run, long step) implements Comparable<VersionId> {
    private static final Pattern TEXT = Pattern.compile("(" + ObjectKeys.RUN_ID.pattern() + ")@(\\d{1,18})");

    public VersionId {
        if (!ObjectKeys.RUN_ID.matcher(run).matches() || step < 0) {
            throw new IllegalArgumentException("'" + run + "@" + step + "' is not a version (run@step)");
        }
    }

    /** @throws IllegalArgumentException when the text is not {@code run@step} */
    public static VersionId parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version (run@step)");
        }
        return new VersionId(m.group(1), Long.parseLong(m.group(2)));
    }

    /** By run, then step. */
    @Override
    public int compareTo(VersionId other) {
        int byRun = run.compareTo(other.run);
        return byRun != 0 ? byRun : Long.compare(step, other.step);
    }

    @Override
    public String toString() {
        return run + "@" + step;
    }
}
