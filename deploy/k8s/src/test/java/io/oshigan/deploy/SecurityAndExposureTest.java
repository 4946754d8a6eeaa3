package io.oshigan.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** No privileged pods, read-only root filesystems, resources everywhere, pinned images, and only the gateway open. */
class SecurityAndExposureTest {

    static Stream<String> overlays() throws java.io.IOException {
        return ManifestValidationTest.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyPodRunsNonRootWithoutPrivilegeOnAReadOnlyRoot(String name) {
        Overlay overlay = Overlay.render(name);
        for (Pods.Workload workload : Pods.workloads(overlay)) {
            var pod = workload.spec();
            String where = workload.kind() + " " + workload.name();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(where).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(where).isEqualTo("RuntimeDefault");
            assertThat(pod.getHostNetwork()).as(where).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getHostPID()).as(where).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getHostIPC()).as(where).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getAutomountServiceAccountToken()).as(where).isFalse();
            assertThat(pod.getVolumes()).as(where).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
            workload.allContainers().forEach(c -> {
                String container = where + " container " + c.getName();
                var security = c.getSecurityContext();
                assertThat(security).as(container).isNotNull();
                assertThat(security.getPrivileged()).as(container).isNotEqualTo(Boolean.TRUE);
                assertThat(security.getAllowPrivilegeEscalation()).as(container).isFalse();
                assertThat(security.getReadOnlyRootFilesystem()).as(container).isTrue();
                assertThat(security.getCapabilities().getDrop()).as(container).containsExactly("ALL");
                assertThat(security.getCapabilities().getAdd()).as(container).isNullOrEmpty();
                assertThat(c.getResources().getRequests()).as(container).containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits()).as(container).containsKey("memory");
            });
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyImageIsPinnedToATag(String name) {
        Overlay overlay = Overlay.render(name);
        List<String> images = Pods.workloads(overlay).stream().flatMap(Pods.Workload::allContainers).map(Container::getImage).toList();
        assertThat(images).isNotEmpty().allSatisfy(image -> {
            String tag = image.substring(image.lastIndexOf('/') + 1);
            assertThat(tag).as(image).contains(":").doesNotEndWith(":latest");
        });
        for (String service : Pods.SERVICES) {
            assertThat(images).as(service).anyMatch(i -> i.contains("oshigan/" + service + ":"));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void onlyTheGatewayIsReachableFromOutside(String name) {
        Overlay overlay = Overlay.render(name);

        assertThat(overlay.all(Service.class)).allSatisfy(s -> assertThat(s.getSpec().getType())
                .as("Service %s", s.getMetadata().getName()).isIn(null, "ClusterIP"));
        List<Ingress> ingresses = overlay.all(Ingress.class);
        assertThat(ingresses).hasSize(1);
        assertThat(ingresses.get(0).getSpec().getRules()).allSatisfy(rule -> assertThat(rule.getHttp().getPaths())
                .allSatisfy(path -> assertThat(path.getBackend().getService().getName()).isEqualTo("gateway")));

        NetworkPolicy denyAll = overlay.one(NetworkPolicy.class, "default-deny-ingress");
        assertThat(denyAll.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(denyAll.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
        assertThat(denyAll.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(denyAll.getSpec().getIngress()).isNullOrEmpty();

        NetworkPolicy backends = overlay.one(NetworkPolicy.class, "backends-from-gateway");
        assertThat(backends.getSpec().getPodSelector().getMatchExpressions().get(0).getValues())
                .containsExactlyInAnyOrder("sampler-service", "trainer-service");
        assertThat(backends.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getFrom())
                .singleElement().satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                        .isEqualTo(Map.of("app.kubernetes.io/name", "gateway"))));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceHasHealthProbesAndAServiceInFrontOfIt(String name) {
        Overlay overlay = Overlay.render(name);
        for (String service : Pods.SERVICES) {
            Container container = Pods.main(overlay, service);
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).as(service).isEqualTo("/q/health/live");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).as(service).isEqualTo("/q/health/ready");
            assertThat(container.getStartupProbe().getHttpGet().getPath()).as(service).isEqualTo("/q/health/started");
            assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).as(service).isEqualTo("http");
            assertThat(container.getPorts()).as(service).anySatisfy(p -> assertThat(p.getName()).isEqualTo("http"));
            Service front = overlay.one(Service.class, service);
            assertThat(front.getSpec().getSelector()).containsEntry("app.kubernetes.io/name", service);
            assertThat(front.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
            assertThat(Pods.mounts(container, "/tmp")).as(service + " writable /tmp").isTrue();
        }
    }

    /** Behind the ingress the rate limit keys on the forwarded client, believed only from the cluster's ranges. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void theGatewayBelievesForwardedAddressesOnlyFromTheClustersRanges(String overlay) {
        var env = Overlay.render(overlay).one(io.fabric8.kubernetes.api.model.apps.Deployment.class, "gateway")
                .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env).filteredOn(e -> e.getName().equals("OSHIGAN_GATEWAY_TRUSTED_PROXIES")).singleElement()
                .satisfies(e -> assertThat(e.getValue().split(",")).allSatisfy(block -> assertThat(block)
                        .matches("(10\\.|172\\.16\\.|192\\.168\\.|100\\.64\\.)[0-9.]*/[0-9]+")));
        NetworkPolicy peers = Overlay.render(overlay).one(NetworkPolicy.class, "gateway-ingress");
        assertThat(peers.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
            if (overlay.equals("prod")) { // only the ingress controller may pose as a proxy
                assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                    assertThat(peer.getNamespaceSelector().getMatchLabels())
                            .isEqualTo(Map.of("kubernetes.io/metadata.name", "ingress-nginx"));
                    assertThat(peer.getPodSelector()).isNull();
                });
            }
        });
    }

    /** Upload-only keys reach the gateway from its Secret, so a drop page need not hold a key that controls training. */
    @ParameterizedTest
    @MethodSource("overlays")
    void theGatewayTakesItsUploadKeysFromItsSecret(String overlay) {
        var env = Overlay.render(overlay).one(io.fabric8.kubernetes.api.model.apps.Deployment.class, "gateway")
                .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        for (String key : List.of("OSHIGAN_GATEWAY_API_KEYS", "OSHIGAN_GATEWAY_UPLOAD_KEYS")) {
            assertThat(env).filteredOn(e -> e.getName().equals(key)).singleElement().satisfies(e -> {
                assertThat(e.getValue()).isNull();
                assertThat(e.getValueFrom().getSecretKeyRef().getName()).startsWith("oshigan-gateway");
                assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key);
            });
        }
    }

    /**
     * No service holds MinIO's root credentials: each is its own user, made by the setup with a policy that allows
     * only the buckets and actions its code uses (root for MinIO and its setup only).
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void eachServiceIsItsOwnMinioUserWithLeastPrivilege(String name) throws Exception {
        Overlay overlay = Overlay.render(name);
        Map<String, Map<String, List<String>>> expected = Map.of(
                "crop-service", Map.of("raw", List.of("s3:GetObject"), "faces", List.of("s3:GetObject", "s3:PutObject")),
                "trainer-service", Map.of("faces", List.of("s3:GetObject", "s3:PutObject"),
                        "models", List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject")),
                "sampler-service", Map.of("models", List.of("s3:GetObject", "s3:PutObject")),
                "gateway", Map.of("raw", List.of("s3:GetObject", "s3:PutObject"), "faces", List.of("s3:GetObject"),
                        "faces/exclusions", List.of("s3:DeleteObject", "s3:PutObject"), "models", List.of("s3:GetObject")));
        var policies = overlay.one(io.fabric8.kubernetes.api.model.ConfigMap.class, "minio-policies").getData();
        String setup = String.join("\n", Pods.main(overlay, io.fabric8.kubernetes.api.model.apps.Deployment.class, "minio-setup").getCommand());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String service : Pods.SERVICES) {
            Container c = Pods.main(overlay, service);
            assertThat(Pods.env(c, "OSHIGAN_S3_ACCESS_KEY")).as(service).hasValue(service);
            assertThat(c.getEnv()).as(service).noneSatisfy(e -> assertThat(e.getValueFrom() != null
                    && e.getValueFrom().getSecretKeyRef() != null
                    && e.getValueFrom().getSecretKeyRef().getKey().startsWith("MINIO_ROOT")).isTrue());
            assertThat(setup).contains("mc admin user add oshigan " + service + " ")
                    .contains("mc admin policy attach oshigan " + service + " --user " + service);

            Map<String, java.util.Set<String>> granted = new java.util.TreeMap<>();
            for (var statement : json.readTree(policies.get(service + ".json")).path("Statement")) {
                assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
                for (var resource : statement.path("Resource")) {
                    String arn = resource.asText().replace("arn:aws:s3:::", "");
                    for (var action : statement.path("Action")) {
                        if (arn.endsWith("/*")) {
                            granted.computeIfAbsent(arn.substring(0, arn.length() - 2), b -> new java.util.TreeSet<>()).add(action.asText());
                        } else {
                            assertThat(action.asText()).as(service + " on bucket " + arn).isIn("s3:ListBucket", "s3:GetBucketLocation");
                            assertThat(expected.get(service)).as(service + " lists " + arn).containsKey(arn);
                        }
                    }
                }
            }
            Map<String, java.util.Set<String>> wanted = new java.util.TreeMap<>();
            expected.get(service).forEach((bucket, actions) -> wanted.put(bucket, new java.util.TreeSet<>(actions)));
            assertThat(granted).as(service).isEqualTo(wanted);
        }
    }
}
