package io.oshigan.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.oshigan.contracts.Topic;
import io.oshigan.storage.Bucket;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The manifests agree with the code: topics and partitions, addresses, buckets, ports, the cascade, native caches. */
class PipelineWiringTest {

    static Stream<String> overlays() throws IOException {
        return ManifestValidationTest.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyTopicTheCodeUsesIsAKafkaTopicWithThePartitionsTheCodeAssumes(String name) {
        Overlay overlay = Overlay.render(name);
        String cluster = overlay.all(Kafka.class).get(0).getMetadata().getName();
        int brokers = overlay.all(KafkaNodePool.class).stream().filter(p -> p.getSpec().getRoles().toString().contains("BROKER"))
                .mapToInt(p -> p.getSpec().getReplicas()).sum();
        Object minInSync = overlay.all(Kafka.class).get(0).getSpec().getKafka().getConfig().get("min.insync.replicas");
        for (Topic topic : Topic.values()) {
            KafkaTopic main = topic(overlay, topic.topicName());
            KafkaTopic deadLetters = topic(overlay, topic.deadLetterTopicName());
            assertThat(main.getSpec().getPartitions()).as(topic.topicName()).isEqualTo(topic.partitions());
            assertThat(deadLetters.getSpec().getPartitions()).as(topic.deadLetterTopicName()).isPositive();
            for (KafkaTopic t : new KafkaTopic[]{main, deadLetters}) {
                assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster);
                assertThat(t.getSpec().getReplicas()).as(t.getSpec().getTopicName()).isBetween(1, brokers);
                assertThat(((Number) minInSync).intValue()).isLessThanOrEqualTo(t.getSpec().getReplicas());
                assertThat(t.getSpec().getConfig()).containsKey("retention.ms");
            }
        }
        assertThat(overlay.all(KafkaTopic.class)).hasSize(2 * Topic.values().length);
        assertThat(overlay.all(Kafka.class).get(0).getSpec().getKafka().getConfig()).containsEntry("auto.create.topics.enable", false);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void servicesAreToldTheRealAddressesOfKafkaMinioAndEachOther(String name) throws IOException {
        Overlay overlay = Overlay.render(name);
        Kafka kafka = overlay.all(Kafka.class).get(0);
        // one listener: TLS with SCRAM-SHA-512, and the clients are told exactly that
        var listener = kafka.getSpec().getKafka().getListeners().stream().filter(l -> l.isTls()).findFirst().orElseThrow();
        assertThat(kafka.getSpec().getKafka().getListeners()).hasSize(1);
        assertThat(listener.getAuth().getType()).isEqualTo("scram-sha-512");
        String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:" + listener.getPort();
        ConfigMap config = overlay.one(ConfigMap.class, "oshigan-services");
        assertThat(config.getData()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL").containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
                .containsEntry("OSHIGAN_S3_ENDPOINT", "http://minio:" + port(overlay, "minio", "api"));

        for (String service : Pods.SERVICES) {
            int port = Integer.parseInt(applicationProperties(service).getProperty("quarkus.http.port"));
            Container container = Pods.main(overlay, service);
            assertThat(container.getPorts().get(0).getContainerPort()).as(service).isEqualTo(port);
            assertThat(overlay.one(Service.class, service).getSpec().getPorts().get(0).getPort()).as(service).isEqualTo(port);
        }
        Container gateway = Pods.main(overlay, Deployment.class, "gateway");
        assertThat(Pods.env(gateway, "OSHIGAN_GATEWAY_SAMPLER_URL")).hasValue("http://sampler-service:" + port(overlay, "sampler-service", "http"));
        assertThat(Pods.env(gateway, "OSHIGAN_GATEWAY_TRAINER_URL")).hasValue("http://trainer-service:" + port(overlay, "trainer-service", "http"));

        Pods.workloads(overlay).stream().flatMap(Pods.Workload::allContainers).forEach(c -> {
            if (c.getEnvFrom() != null) {
                c.getEnvFrom().forEach(from -> assertThat(overlay.find(ConfigMap.class, from.getConfigMapRef().getName())).isPresent());
            }
            if (c.getEnv() != null) {
                c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null).forEach(e -> {
                    var ref = e.getValueFrom().getSecretKeyRef();
                    if (overlay.find(io.strimzi.api.kafka.model.user.KafkaUser.class, ref.getName()).isPresent()) {
                        // the User Operator writes these keys into the user's Secret
                        assertThat(ref.getKey()).as(c.getName() + " " + e.getName()).isIn("password", "sasl.jaas.config");
                        return;
                    }
                    Secret secret = overlay.one(Secret.class, ref.getName());
                    assertThat(secret.getData()).as(c.getName() + " " + e.getName()).containsKey(ref.getKey());
                });
            }
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void minioSendsUploadsToKafkaThroughAQueueOnItsVolumeAndTheSetupCreatesEveryBucket(String name) {
        Overlay overlay = Overlay.render(name);
        Container minio = Pods.main(overlay, StatefulSet.class, "minio");
        String bootstrap = overlay.one(ConfigMap.class, "oshigan-services").getData().get("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(Pods.env(minio, "MINIO_NOTIFY_KAFKA_ENABLE_PRIMARY")).hasValue("on");
        assertThat(Pods.env(minio, "MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY")).hasValue(bootstrap);
        assertThat(Pods.env(minio, "MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY")).hasValue(Topic.IMAGES_UPLOADED.topicName());
        String queue = Pods.env(minio, "MINIO_NOTIFY_KAFKA_QUEUE_DIR_PRIMARY").orElseThrow();
        String claim = overlay.one(StatefulSet.class, "minio").getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        assertThat(minio.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo(queue);
            assertThat(m.getName()).isEqualTo(claim);
        });

        String script = String.join("\n", Pods.main(overlay, io.fabric8.kubernetes.api.model.apps.Deployment.class, "minio-setup").getCommand());
        for (Bucket bucket : Bucket.values()) {
            assertThat(script).containsPattern("mc mb --ignore-existing.* oshigan/" + bucket.bucketName() + "\\b");
        }
        assertThat(script).contains("mc event add --ignore-existing oshigan/" + Bucket.RAW.bucketName()
                + " arn:minio:sqs::PRIMARY:kafka --event put");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theCropServiceUsesItsBuiltInCascadeAndTheTensorFlowServicesAWritableNativesCache(String name) {
        Overlay overlay = Overlay.render(name);
        var cropPod = Pods.spec(overlay, "crop-service");
        // the cascade is in the image (crop-service/pom.xml bundles it, verified by sha256 at start): no init download
        assertThat(cropPod.getInitContainers()).isNullOrEmpty();
        assertThat(Pods.env(cropPod.getContainers().get(0), "OSHIGAN_CROP_CASCADE")).isEmpty();

        String toolOptions = overlay.one(ConfigMap.class, "oshigan-services").getData().get("JAVA_TOOL_OPTIONS");
        Matcher cacheDir = Pattern.compile("-Dorg\\.bytedeco\\.javacpp\\.cachedir=(/[^/ ]+)").matcher(toolOptions);
        assertThat(cacheDir.find()).isTrue();
        for (String service : new String[]{"trainer-service", "sampler-service"}) {
            assertThat(Pods.mounts(Pods.main(overlay, service), cacheDir.group(1))).as(service).isTrue();
        }
    }

    private static KafkaTopic topic(Overlay overlay, String topicName) {
        return overlay.all(KafkaTopic.class).stream().filter(t -> topicName.equals(t.getSpec().getTopicName())).findFirst()
                .orElseThrow(() -> new AssertionError("overlay " + overlay + " has no KafkaTopic for " + topicName));
    }

    private static int port(Overlay overlay, String service, String portName) {
        return overlay.one(Service.class, service).getSpec().getPorts().stream().filter(p -> p.getName().equals(portName))
                .findFirst().orElseThrow().getPort();
    }

    /**
     * Each Kafka client is its own KafkaUser whose ACLs are exactly what its code uses, read from its
     * application.properties: incoming topics Read + Describe and their group Read (a per-pod group as a prefix),
     * outgoing and dead-letter topics Write + Describe. MinIO writes the upload events. Nothing more, nothing less.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void everyKafkaClientIsItsOwnUserWithExactlyTheAclsItsCodeNeeds(String name) throws IOException {
        Overlay overlay = Overlay.render(name);
        Map<String, java.util.Set<String>> expected = new java.util.TreeMap<>();
        for (String service : List.of("crop-service", "trainer-service", "sampler-service")) {
            Properties p = applicationProperties(service);
            java.util.Set<String> acls = new java.util.TreeSet<>();
            for (String key : p.stringPropertyNames()) {
                Matcher m = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([a-z-]+)\\.(topic|group\\.id|dead-letter-queue\\.topic)").matcher(key);
                if (!m.matches()) {
                    continue;
                }
                String value = p.getProperty(key);
                switch (m.group(3)) {
                    case "topic" -> {
                        for (String op : m.group(1).equals("incoming") ? List.of("Read", "Describe") : List.of("Write", "Describe")) {
                            acls.add("topic " + value + " literal " + op);
                        }
                    }
                    case "group.id" -> acls.add(value.contains("${")
                            ? "group " + value.substring(0, value.indexOf("${")) + " prefix Read" : "group " + value + " literal Read");
                    default -> List.of("Write", "Describe").forEach(op -> acls.add("topic " + value + " literal " + op));
                }
            }
            expected.put(service, acls);
            Container container = Pods.main(overlay, service);
            assertThat(container.getEnv()).as(service).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo("KAFKA_SASL_JAAS_CONFIG");
                assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo(service);
            });
            assertThat(container.getVolumeMounts()).as(service).anySatisfy(v -> assertThat(v.getMountPath()).isEqualTo("/etc/kafka-ca"));
        }
        String minioTopic = Pods.env(Pods.main(overlay, StatefulSet.class, "minio"), "MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY").orElseThrow();
        expected.put("minio", new java.util.TreeSet<>(List.of("topic " + minioTopic + " literal Write", "topic " + minioTopic + " literal Describe")));

        Map<String, java.util.Set<String>> actual = new java.util.TreeMap<>();
        for (var user : overlay.all(io.strimzi.api.kafka.model.user.KafkaUser.class)) {
            assertThat(user.getSpec().getAuthentication().getType()).isEqualTo("scram-sha-512");
            java.util.Set<String> acls = new java.util.TreeSet<>();
            var simple = (io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple) user.getSpec().getAuthorization();
            for (var rule : simple.getAcls()) {
                var resource = rule.getResource();
                String resourceName = resource instanceof io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource t ? t.getName()
                        : ((io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource) resource).getName();
                String pattern = resource instanceof io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource t ? t.getPatternType().toValue()
                        : ((io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource) resource).getPatternType().toValue();
                rule.getOperations().forEach(op -> acls.add(resource.getType() + " " + resourceName + " " + pattern + " " + op.toValue()));
            }
            actual.put(user.getMetadata().getName(), acls);
        }
        assertThat(actual).isEqualTo(expected);
    }

    static Properties applicationProperties(String service) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Tools.REPO.resolve(service).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    private static String scriptValue(String script, String variable) {
        Matcher m = Pattern.compile("(?m)^" + variable + "=(\\S+)$").matcher(script);
        assertThat(m.find()).as(variable + " in ./oshigan").isTrue();
        return m.group(1);
    }
}
