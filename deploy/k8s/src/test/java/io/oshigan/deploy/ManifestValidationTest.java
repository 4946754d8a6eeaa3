package io.oshigan.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Offline validation of every overlay: kustomize renders it, yamllint passes, every document reads into its typed model. */
class ManifestValidationTest {

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(Tools.K8S.resolve("overlays"))) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void thereAreTheDevAndProdOverlays() throws IOException {
        assertThat(overlays()).contains("dev", "prod");
    }

    @Test
    void theSourcesPassYamllint() {
        Tools.Output lint = Tools.yamllint(null, "base", "overlays");
        assertThat(lint.exitCode()).as(lint.stdout() + lint.stderr()).isZero();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theRenderedOverlayPassesYamllint(String overlay) {
        Tools.Output lint = Tools.yamllint(Tools.kustomize(overlay));
        assertThat(lint.exitCode()).as(lint.stdout() + lint.stderr()).isZero();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyDocumentReadsIntoItsTypedModelWithNoUnknownField(String overlay) {
        Overlay rendered = Overlay.render(overlay);

        assertThat(rendered.resources).hasSizeGreaterThanOrEqualTo(28);
        for (HasMetadata resource : rendered.resources) {
            assertThat(UnknownFields.in(resource))
                    .as("unknown fields in %s %s", resource.getKind(), resource.getMetadata().getName())
                    .isEmpty();
        }
        assertThat(rendered.resources).allSatisfy(r -> assertThat(r.getMetadata().getNamespace())
                .as("%s %s", r.getKind(), r.getMetadata().getName())
                .isIn("oshigan", null));
    }

    @Test
    void aMisspelledFieldIsCaughtInCoreAndStrimziModels() throws IOException {
        ObjectMapper yaml = new YAMLMapper();
        Deployment deployment = yaml.readValue("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          imagee: oshigan/x:1
                """, Deployment.class);
        KafkaTopic topic = yaml.readValue("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitons: 4}
                """, KafkaTopic.class);

        assertThat(UnknownFields.in(deployment)).containsExactly(".spec.template.spec.containers[0].imagee");
        assertThat(UnknownFields.in(topic)).containsExactly(".spec.partitons");
    }

    @Test
    void aWrongTypeIsCaughtByTheTypedParse() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new YAMLMapper().readValue(
                        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: two}\n", Deployment.class))
                .hasMessageContaining("two");
    }

    @Test
    void yamllintRejectsBrokenYaml() {
        assertThat(Tools.yamllint("a: [1, 2\n").exitCode()).isNotZero();
    }
}
