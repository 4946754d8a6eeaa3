package io.oshigan.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionIdTest {
    @Test
    void parsesAndWritesRunAtStep() {
        VersionId id = VersionId.parse("run-1@1200");
        assertThat(id.run()).isEqualTo("run-1");
        assertThat(id.step()).isEqualTo(1200);
        assertThat(id).hasToString("run-1@1200");
        assertThat(new VersionId("import-ref", 5)).isEqualTo(VersionId.parse("import-ref@5"));
    }

    @Test
    void refusesWhatIsNotAVersion() {
        for (String bad : new String[]{"nope", "run@", "@5", "Run@5", "run@-1", "run@1@2", "../x@1", "r@1234567890123456789"}) {
            assertThatThrownBy(() -> VersionId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a version (run@step)");
        }
        assertThatThrownBy(() -> new VersionId("a b", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersByRunThenStep() {
        assertThat(VersionId.parse("a@10")).isLessThan(VersionId.parse("a@11")).isLessThan(VersionId.parse("b@1"));
    }
}
