package io.oshigan.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One overlay, rendered by kustomize, every document parsed into its typed model. */
final class Overlay {
    /** apiVersion/kind of every document we ship, and the model that reads it. Anything else fails the check. */
    static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Secret", io.fabric8.kubernetes.api.model.Secret.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("apps/v1/StatefulSet", io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
            Map.entry("batch/v1/Job", io.fabric8.kubernetes.api.model.batch.v1.Job.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", io.strimzi.api.kafka.model.user.KafkaUser.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class));

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new JsonMapper();

    final String name;
    final String rendered;
    final List<JsonNode> documents;
    final List<HasMetadata> resources;

    private Overlay(String name, String rendered, List<JsonNode> documents, List<HasMetadata> resources) {
        this.name = name;
        this.rendered = rendered;
        this.documents = documents;
        this.resources = resources;
    }

    static Overlay render(String name) {
        return parse(name, Tools.kustomize(name));
    }

    /** An overlay of another deploy/k8s tree, e.g. a copy with other secret values. */
    static Overlay render(Path k8s, String name) {
        return parse(name, Tools.kustomize(k8s, name));
    }

    private static Overlay parse(String name, String rendered) {
        List<JsonNode> documents = new ArrayList<>();
        List<HasMetadata> resources = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(rendered)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode document = it.next();
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
                Class<? extends HasMetadata> model = MODELS.get(key);
                if (model == null) {
                    throw new AssertionError("overlay " + name + ": no typed model for " + key + " ("
                            + document.path("metadata").path("name").asText() + ")");
                }
                documents.add(document);
                resources.add(JSON.treeToValue(document, model));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("overlay " + name + " does not parse: " + e.getMessage(), e);
        }
        return new Overlay(name, rendered, documents, resources);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String resourceName) {
        return find(type, resourceName).orElseThrow(() ->
                new AssertionError("overlay " + name + " has no " + type.getSimpleName() + " " + resourceName));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String resourceName) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(resourceName)).findFirst();
    }

    @Override
    public String toString() {
        return name;
    }
}
