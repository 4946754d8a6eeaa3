package io.oshigan.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.oshigan.contracts.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One trainer on one GPU in prod (on CPU in dev) that can finish its checkpoint; crop and sampler scale out. */
class TrainerAndScalingTest {

    static Stream<String> overlays() throws IOException {
        return ManifestValidationTest.overlays();
    }

    /** Its readiness says FAILED, yet the gateway still reaches it: to show the reason and start a new run. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("overlays")
    void theTrainerIsReachableWhileItsLoopHasFailed(String overlay) {
        assertThat(Overlay.render(overlay).one(io.fabric8.kubernetes.api.model.Service.class, "trainer-service")
                .getSpec().getPublishNotReadyAddresses()).isTrue();
    }

    @Test
    void inProdTheTrainerRunsAloneOnOneGpuNode() {
        Overlay prod = Overlay.render("prod");
        StatefulSet trainer = prod.one(StatefulSet.class, "trainer-service");
        var pod = trainer.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        assertThat(container.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(container.getResources().getRequests()).doesNotContainKey("nvidia.com/gpu");
        // the GPU limit places it; no node label is required (clusters without NVIDIA's feature discovery have none)
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(Pods.env(container, "OSHIGAN_TRAINER_DEVICE")).hasValue("gpu");
        assertThat(pod.getTolerations()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(container.getImage()).endsWith("-gpu");
    }

    @Test
    void inDevTheTrainerRunsOnCpuAnywhere() {
        Overlay dev = Overlay.render("dev");
        var pod = dev.one(StatefulSet.class, "trainer-service").getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        assertThat(container.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(container.getResources().getRequests()).doesNotContainKey("nvidia.com/gpu");
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getTolerations()).isNullOrEmpty();
        assertThat(Pods.env(container, "OSHIGAN_TRAINER_DEVICE")).hasValue("cpu");
        assertThat(container.getImage()).doesNotEndWith("-gpu");
        // the scheduler counts disk requests: a minikube node (20 GB) must take it
        assertThat(Quantity.getAmountInBytes(container.getResources().getRequests().get("ephemeral-storage")).longValue())
                .isLessThanOrEqualTo(12L << 30);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theTrainerIsOneReplicaReplacedNotRolledWithTimeToWriteItsCheckpoint(String name) throws IOException {
        Overlay overlay = Overlay.render(name);
        // a StatefulSet starts a deleted or drained pod's replacement once it is gone; a Deployment, even Recreate,
        // starts it at once, and two trainers then write the same run while the old one stores its final checkpoint
        assertThat(overlay.all(Deployment.class)).noneMatch(d -> d.getMetadata().getName().equals("trainer-service"));
        StatefulSet trainer = overlay.one(StatefulSet.class, "trainer-service");
        Duration shutdown = Duration.parse("PT" + PipelineWiringTest.applicationProperties("trainer-service")
                .getProperty("quarkus.shutdown.timeout").toUpperCase());

        assertThat(trainer.getSpec().getReplicas()).isEqualTo(1);
        // OrderedReady would not replace a pod that is not ready (a FAILED loop) when a fix is applied
        assertThat(trainer.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(trainer.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(shutdown.toSeconds() + 30);
        assertThat(overlay.all(HorizontalPodAutoscaler.class))
                .noneMatch(h -> h.getSpec().getScaleTargetRef().getName().equals("trainer-service"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void cropAndSamplerScaleOutAndTheCropServiceNoFurtherThanItsPartitions(String name) {
        Overlay overlay = Overlay.render(name);
        for (String service : List.of("crop-service", "sampler-service")) {
            HorizontalPodAutoscaler hpa = overlay.one(HorizontalPodAutoscaler.class, service);
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(service);
            assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
            assertThat(overlay.one(Deployment.class, service).getSpec().getReplicas())
                    .as(service + ": the autoscaler owns the replica count").isNull();
        }
        assertThat(overlay.one(HorizontalPodAutoscaler.class, "crop-service").getSpec().getMaxReplicas())
                .isLessThanOrEqualTo(Topic.IMAGES_UPLOADED.partitions());
    }

    @Test
    void everySamplerInstanceFollowsCheckpointsInItsOwnConsumerGroup() throws IOException {
        String groupId = PipelineWiringTest.applicationProperties("sampler-service")
                .getProperty("mp.messaging.incoming.checkpoints-published.group.id");
        assertThat(groupId).contains("${quarkus.uuid}");
    }

    @Test
    void theCommittedProdSecretsArePlaceholders() throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(Tools.K8S.resolve("overlays/prod"))) {
            List<String> values = files.filter(f -> f.toString().endsWith(".env")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(line -> !line.isBlank() && !line.startsWith("#")).map(line -> line.substring(line.indexOf('=') + 1)).toList();
            assertThat(values).isNotEmpty().allSatisfy(v -> assertThat(v).startsWith("REPLACE_ME"));
        }
    }
}
