package io.oshigan.support.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialsCheckTest {

    @Test
    void placeholdersAndShortSecretsAreRefusedWithWhatToSet() {
        assertThatThrownBy(() -> CredentialsCheck.check("oshigan", "REPLACE_ME"))
                .hasMessage("oshigan.s3.secret-key is still the template's placeholder 'REPLACE_ME': set OSHIGAN_S3_SECRET_KEY "
                        + "(in Kubernetes, the secret oshigan-minio) to the real value");
        assertThatThrownBy(() -> CredentialsCheck.check("REPLACE_ME", "a-long-enough-secret"))
                .hasMessageStartingWith("oshigan.s3.access-key is still the template's placeholder");
        assertThatThrownBy(() -> CredentialsCheck.check("oshigan", "short"))
                .hasMessage("oshigan.s3.secret-key has 5 characters; at least 8 are needed: set OSHIGAN_S3_SECRET_KEY "
                        + "(in Kubernetes, the secret oshigan-minio)");
        assertThatCode(() -> CredentialsCheck.check("oshigan", "oshigan-secret")).doesNotThrowAnyException();
    }
}
