package io.oshigan.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStackConfigTest {

    @Test
    void defaultsMatchTheReadme() {
        LocalStackConfig config = LocalStackConfig.parse(new String[0], Map.of());
        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.s3Port()).isEqualTo(9000);
        assertThat(config.accessKey()).isEqualTo("oshigan");
        assertThat(config.secretKey()).isEqualTo("oshigan-secret");
        assertThat(config.dataDir()).isEqualTo(Path.of(".oshigan-data").toAbsolutePath().normalize());
    }

    @Test
    void optionsWinOverEnvironment() {
        LocalStackConfig config = LocalStackConfig.parse(
                new String[]{"--s3-port", "9100", "--data-dir", "/tmp/x", "--exit-when-stdin-closes"},
                Map.of("OSHIGAN_S3_PORT", "9200", "OSHIGAN_KAFKA_PORT", "9300", "OSHIGAN_S3_SECRET_KEY", "s"));
        assertThat(config.s3Port()).isEqualTo(9100);
        assertThat(config.kafkaPort()).isEqualTo(9300);
        assertThat(config.secretKey()).isEqualTo("s");
        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(config.exitWhenStdinCloses()).isTrue();
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> LocalStackConfig.parse(new String[]{"--s3-port", "http"}, Map.of()))
                .hasMessageContaining("--s3-port must be a port number (0-65535) but is 'http'");
        assertThatThrownBy(() -> LocalStackConfig.parse(new String[]{"--bogus", "1"}, Map.of()))
                .hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> LocalStackConfig.parse(new String[]{"--data-dir"}, Map.of()))
                .hasMessageContaining("option --data-dir needs a value");
    }
}
