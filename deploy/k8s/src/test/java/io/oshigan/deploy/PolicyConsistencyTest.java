package io.oshigan.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules a render cannot show by itself: labels and selectors that must agree (a pod that uses Kafka or MinIO carries
 * the label its policies admit; every policy selects pods that exist), the Strimzi v1 shape with node pools, and
 * monitoring that scrapes every service and alerts on metrics the code really exports.
 */
class PolicyConsistencyTest {
    /** Pods others make: Strimzi from the Kafka resource, cert-manager while it solves an HTTP-01 challenge. */
    private static final List<Map<String, String>> STRIMZI_PODS = List.of(
            Map.of("acme.cert-manager.io/http01-solver", "true"),
            Map.of("strimzi.io/cluster", "oshigan", "strimzi.io/kind", "Kafka", "strimzi.io/broker-role", "true",
                    "strimzi.io/controller-role", "true", "strimzi.io/name", "oshigan-kafka"),
            Map.of("strimzi.io/cluster", "oshigan", "strimzi.io/kind", "Kafka", "strimzi.io/name", "oshigan-kafka-exporter"),
            Map.of("strimzi.io/cluster", "oshigan", "strimzi.io/kind", "Kafka", "strimzi.io/name", "oshigan-entity-operator"));

    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void podsThatUseKafkaOrMinioCarryTheLabelsTheirPoliciesAdmit(String name) {
        Overlay overlay = Overlay.render(name);
        for (Pods.Workload workload : Pods.workloads(overlay)) {
            Map<String, String> labels = labels(overlay, workload);
            List<Container> containers = workload.allContainers().toList();
            boolean usesKafka = containers.stream().anyMatch(c -> Pods.env(c, "MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY").isPresent()
                    || hasEnv(c, "KAFKA_SASL_JAAS_CONFIG"));
            boolean usesMinio = containers.stream().anyMatch(c -> hasEnv(c, "OSHIGAN_S3_SECRET_KEY")
                    || String.join(" ", Objects.requireNonNullElse(c.getCommand(), List.of())).contains("mc alias set"));
            assertThat(labels.get("oshigan.io/kafka-client")).as(workload.name() + " kafka-client")
                    .isEqualTo(usesKafka ? "true" : null);
            assertThat(labels.get("oshigan.io/storage-client")).as(workload.name() + " storage-client")
                    .isEqualTo(usesMinio ? "true" : null);
        }
    }

    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void everyNetworkPolicyAndPeerSelectsPodsThatExist(String name) {
        Overlay overlay = Overlay.render(name);
        List<Map<String, String>> pods = new ArrayList<>(STRIMZI_PODS);
        Pods.workloads(overlay).forEach(w -> pods.add(labels(overlay, w)));
        for (NetworkPolicy policy : overlay.all(NetworkPolicy.class)) {
            String where = "NetworkPolicy " + policy.getMetadata().getName();
            assertThat(pods).as(where + " selects").anyMatch(p -> matches(policy.getSpec().getPodSelector(), p));
            List<NetworkPolicyPeer> peers = new ArrayList<>();
            Objects.requireNonNullElse(policy.getSpec().getIngress(), List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule>of())
                    .forEach(r -> peers.addAll(Objects.requireNonNullElse(r.getFrom(), List.of())));
            Objects.requireNonNullElse(policy.getSpec().getEgress(), List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule>of())
                    .forEach(r -> peers.addAll(Objects.requireNonNullElse(r.getTo(), List.of())));
            for (NetworkPolicyPeer peer : peers) {
                if (peer.getNamespaceSelector() != null || peer.getPodSelector() == null) {
                    continue; // another namespace (ingress controller, DNS, monitoring): not rendered here
                }
                assertThat(pods).as(where + " peer " + peer.getPodSelector()).anyMatch(p -> matches(peer.getPodSelector(), p));
            }
        }
        // every pod of ours is limited in what it may reach
        NetworkPolicy egress = overlay.one(NetworkPolicy.class, "egress-dns-only");
        Pods.workloads(overlay).stream().filter(w -> !w.kind().equals("Kafka"))
                .forEach(w -> assertThat(matches(egress.getSpec().getPodSelector(), labels(overlay, w))).as(w.name()).isTrue());
    }

    /** Strimzi v1 with node pools: the Kafka resource carries no replicas or storage; the pools give both roles. */
    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void kafkaHasTheStrimziV1NodePoolShape(String name) {
        Overlay overlay = Overlay.render(name);
        Kafka kafka = overlay.all(Kafka.class).get(0);
        // the Java model still has these fields, the v1 API with node pools refuses them
        assertThat(kafka.getSpec().getKafka().getReplicas()).as("spec.kafka.replicas").isNull();
        assertThat(kafka.getSpec().getKafka().getStorage()).as("spec.kafka.storage").isNull();
        assertThat(kafka.getSpec().getAdditionalProperties()).doesNotContainKey("zookeeper");
        List<KafkaNodePool> pools = overlay.all(KafkaNodePool.class);
        assertThat(pools).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
                .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName()));
        assertThat(pools.stream().flatMap(p -> p.getSpec().getRoles().stream())).contains(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
        for (KafkaNodePool pool : pools) {
            if (pool.getSpec().getReplicas() > 1) { // several nodes: never two on one host
                var terms = pool.getSpec().getTemplate().getPod().getAffinity().getPodAntiAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution();
                assertThat(terms).as(pool.getMetadata().getName()).anySatisfy(t -> {
                    assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(t.getLabelSelector().getMatchLabels()).containsEntry("strimzi.io/pool-name", pool.getMetadata().getName());
                });
            }
        }
        assertThat(kafka.getSpec().getKafka().getMetricsConfig()).isNotNull();
        assertThat(kafka.getSpec().getKafkaExporter()).isNotNull();
        assertThat(kafka.getSpec().getEntityOperator().getUserOperator()).isNotNull();
    }

    /** Every service is scraped, and every alert is on a metric that exists: in our code, or from Kafka's exporter. */
    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void monitoringScrapesEveryServiceAndAlertsOnRealMetrics(String name) throws IOException {
        Overlay overlay = Overlay.render(name);
        PodMonitor services = overlay.one(PodMonitor.class, "oshigan-services");
        for (String service : Pods.SERVICES) {
            var pod = Pods.spec(overlay, service);
            Map<String, String> labels = Pods.template(overlay, service).getMetadata().getLabels();
            assertThat(labels).as(service).containsAllEntriesOf(services.getSpec().getSelector().getMatchLabels());
            assertThat(pod.getContainers().get(0).getPorts()).as(service).anySatisfy(p -> assertThat(p.getName())
                    .isEqualTo(services.getSpec().getPodMetricsEndpoints().get(0).getPort()));
        }
        String code = sources();
        List<String> alerts = new ArrayList<>();
        for (var group : overlay.one(PrometheusRule.class, "oshigan-alerts").getSpec().getGroups()) {
            for (var rule : group.getRules()) {
                alerts.add(rule.getAlert());
                Matcher metric = Pattern.compile("\\b(oshigan_[a-z_]+|kafka_[a-z_]+)").matcher(rule.getExpr().getStrVal());
                assertThat(metric.find()).as(rule.getAlert()).isTrue();
                do {
                    String m = metric.group(1);
                    if (m.startsWith("kafka_")) {
                        assertThat(m).as(rule.getAlert()).isIn("kafka_consumergroup_lag", "kafka_topic_partition_current_offset");
                    } else {
                        assertThat(code).as(rule.getAlert() + ": " + m + " registered in the code")
                                .contains("\"" + m.replace('_', '.') + "\"");
                    }
                } while (metric.find());
            }
        }
        assertThat(alerts).contains("OshiganCropLagGrowing", "OshiganTrainerNotTraining", "OshiganSamplerWithoutModel",
                "OshiganDeadLetters");
    }

    private static String sources() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String service : Pods.SERVICES) {
            try (Stream<Path> files = Files.walk(Tools.REPO.resolve(service).resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(f));
                }
            }
        }
        return all.toString();
    }

    private static Map<String, String> labels(Overlay overlay, Pods.Workload workload) {
        var all = new HashMap<String, String>();
        overlay.resources.stream().filter(r -> r.getMetadata().getName().equals(workload.name()))
                .forEach(r -> {
                    if (r instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
                        all.putAll(d.getSpec().getTemplate().getMetadata().getLabels());
                    } else if (r instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s) {
                        all.putAll(s.getSpec().getTemplate().getMetadata().getLabels());
                    } else if (r instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j) {
                        all.putAll(j.getSpec().getTemplate().getMetadata().getLabels());
                    }
                });
        return all;
    }

    private static boolean hasEnv(Container c, String name) {
        return c.getEnv() != null && c.getEnv().stream().anyMatch(e -> e.getName().equals(name));
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null && !selector.getMatchLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        return selector.getMatchExpressions() == null || selector.getMatchExpressions().stream().allMatch(x -> switch (x.getOperator()) {
            case "In" -> x.getValues().contains(labels.get(x.getKey()));
            case "NotIn" -> !x.getValues().contains(labels.get(x.getKey()));
            case "Exists" -> labels.containsKey(x.getKey());
            default -> !labels.containsKey(x.getKey());
        });
    }
}
