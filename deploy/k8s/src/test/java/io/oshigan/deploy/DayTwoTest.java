package io.oshigan.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a cluster does on the second day: re-apply after a secret rotation, delete, drain, restricted egress, memory. */
class DayTwoTest {
    private static final Pattern URL = Pattern.compile("https?://([^/:\\s\"']+)");

    /**
     * Rotating every secret and applying again must change no field the API server refuses to change (a Job's pod
     * template, selectors, a StatefulSet's claims and service name, a Service's cluster IP), or the apply fails.
     */
    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void aReapplyWithRotatedSecretsChangesNoImmutableField(String overlay, @TempDir Path copy) throws IOException {
        copyTree(Tools.K8S, copy);
        rotateSecrets(copy.resolve("overlays").resolve(overlay));
        Overlay before = Overlay.render(overlay);
        Overlay after = Overlay.render(copy, overlay);
        assertThat(after.rendered).as("the rotation changed the rendered secrets").isNotEqualTo(before.rendered);

        for (Job j : before.all(Job.class)) {
            assertThat(after.one(Job.class, j.getMetadata().getName()).getSpec().getTemplate())
                    .as("Job %s pod template (immutable)", j.getMetadata().getName()).isEqualTo(j.getSpec().getTemplate());
        }
        for (Deployment d : before.all(Deployment.class)) {
            assertThat(after.one(Deployment.class, d.getMetadata().getName()).getSpec().getSelector())
                    .as("Deployment %s selector", d.getMetadata().getName()).isEqualTo(d.getSpec().getSelector());
        }
        for (StatefulSet s : before.all(StatefulSet.class)) {
            StatefulSet other = after.one(StatefulSet.class, s.getMetadata().getName());
            assertThat(other.getSpec().getSelector()).isEqualTo(s.getSpec().getSelector());
            assertThat(other.getSpec().getServiceName()).isEqualTo(s.getSpec().getServiceName());
            assertThat(other.getSpec().getVolumeClaimTemplates()).isEqualTo(s.getSpec().getVolumeClaimTemplates());
            assertThat(other.getSpec().getPodManagementPolicy()).isEqualTo(s.getSpec().getPodManagementPolicy());
        }
        for (Service s : before.all(Service.class)) {
            Service other = after.one(Service.class, s.getMetadata().getName());
            assertThat(other.getSpec().getClusterIP()).isEqualTo(s.getSpec().getClusterIP());
            assertThat(other.getSpec().getType()).isEqualTo(s.getSpec().getType());
        }
    }

    /** `kubectl delete -k` removes what the overlay renders: never the namespace holding MinIO's volume claims. */
    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void noOverlayDeletesTheNamespace(String overlay) throws IOException {
        assertThat(Overlay.render(overlay).all(Namespace.class)).isEmpty();
        String namespace = Files.readString(Tools.K8S.resolve("namespace.yaml"));
        assertThat(namespace).contains("kind: Namespace").contains("name: oshigan")
                .contains("pod-security.kubernetes.io/enforce: baseline");
    }

    /** A not-ready pod (a sampler waiting for its first checkpoint) must not block `kubectl drain`. */
    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void disruptionBudgetsLetUnhealthyPodsBeEvicted(String overlay) {
        for (PodDisruptionBudget pdb : Overlay.render(overlay).all(PodDisruptionBudget.class)) {
            assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).as(pdb.getMetadata().getName()).isEqualTo("AlwaysAllow");
        }
    }

    /**
     * A rollout, drain or scale-in of a service that answers requests (gateway, sampler): on SIGTERM its readiness goes
     * down while it still serves (quarkus.shutdown.delay), then requests under way get quarkus.shutdown.timeout to end,
     * within the pod's grace period. Before, Quarkus closed their connections at once: an upload cut, a 502.
     */
    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void servingPodsDrainTheirRequestsBeforeTheyStop(String overlay) throws IOException {
        var rendered = Overlay.render(overlay);
        for (String service : List.of("gateway", "sampler-service")) {
            java.util.Properties properties = PipelineWiringTest.applicationProperties(service);
            assertThat(properties.getProperty("quarkus.shutdown.delay-enabled")).as(service).isEqualTo("true");
            long timeout = java.time.Duration.parse("PT" + properties.getProperty("quarkus.shutdown.timeout",
                    "0s").toUpperCase()).toSeconds();
            long delay = java.time.Duration.parse("PT" + Pods.env(Pods.main(rendered, service),
                    "QUARKUS_SHUTDOWN_DELAY").orElse("0s").toUpperCase()).toSeconds();
            long grace = Pods.service(rendered, service)
                    .getTerminationGracePeriodSeconds();
            assertThat(delay).as(service + " shutdown delay (s)").isGreaterThanOrEqualTo(5);
            assertThat(timeout).as(service + " shutdown timeout (s)").isGreaterThanOrEqualTo(15);
            assertThat(grace).as(service + " grace period (s)").isGreaterThanOrEqualTo(delay + timeout + 5);
        }
    }

    /**
     * Disk: each service requests what its emptyDirs may hold (the kubelet evicts first, with no grace and so no final
     * checkpoint, the pods using most disk beyond their request), and the trainer's cache volume holds the natives it
     * unpacks (3.7 GB) and the CUDA kernel cache it may keep.
     */
    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void eachServiceRequestsTheDiskItsVolumesMayHold(String overlay) {
        var rendered = Overlay.render(overlay);
        for (String service : Pods.SERVICES) {
            var spec = Pods.service(rendered, service);
            long volumes = spec.getVolumes().stream().filter(v -> v.getEmptyDir() != null && v.getEmptyDir().getSizeLimit() != null
                            && !"Memory".equals(v.getEmptyDir().getMedium()))
                    .mapToLong(v -> Quantity.getAmountInBytes(v.getEmptyDir().getSizeLimit()).longValue()).sum();
            Quantity requested = Pods.main(rendered, service).getResources().getRequests().get("ephemeral-storage");
            assertThat(requested).as(service + " requests ephemeral-storage").isNotNull();
            assertThat(Quantity.getAmountInBytes(requested).longValue()).as(service + " disk request vs its emptyDirs")
                    .isGreaterThanOrEqualTo(volumes);
            if (service.equals("trainer-service") && Pods.main(rendered, service).getResources().getLimits()
                    .containsKey("nvidia.com/gpu")) {
                long kernels = Long.parseLong(Pods.env(Pods.main(rendered, service), "CUDA_CACHE_MAXSIZE").orElseThrow());
                long cache = spec.getVolumes().stream().filter(v -> v.getName().equals("cache")).findFirst().orElseThrow()
                        .getEmptyDir().getSizeLimit().getNumericalAmount().longValue();
                assertThat(cache).as("trainer /cache: natives and the kernel cache").isGreaterThanOrEqualTo(3_700_000_000L + kernels);
            }
        }
    }

    /**
     * The MinIO setup never runs twice at once (a rotation's old pod would put the old service passwords back in its
     * next round) and stops when asked: its shell is PID 1, which ignores SIGTERM unless it traps it.
     */
    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void theMinioSetupIsReplacedNotRolledAndStopsWhenAsked(String overlay) {
        Deployment setup = Overlay.render(overlay).one(Deployment.class, "minio-setup");
        assertThat(setup.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        String script = String.join("\n", setup.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand());
        assertThat(script).contains("trap 'exit 0' TERM").contains("sleep 600 &").contains("wait $!");
    }

    /** Restricted egress: no container downloads anything at start; every URL it is given is inside the cluster. */
    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void nothingFetchesFromTheInternetAtStart(String overlay) {
        for (Pods.Workload workload : Pods.workloads(Overlay.render(overlay))) {
            workload.allContainers().forEach(c -> {
                List<String> texts = new ArrayList<>();
                texts.addAll(Objects.requireNonNullElse(c.getCommand(), List.of()));
                texts.addAll(Objects.requireNonNullElse(c.getArgs(), List.of()));
                Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of()).forEach(e -> texts.add(String.valueOf(e.getValue())));
                for (String text : texts) {
                    Matcher url = URL.matcher(text);
                    while (url.find()) {
                        assertThat(url.group(1)).as("%s %s container %s: %s", workload.kind(), workload.name(), c.getName(), url.group())
                                .matches("[a-z0-9-]+(\\.[a-z0-9-]+\\.svc(\\.cluster\\.local)?)?|127\\.0\\.0\\.1|localhost");
                    }
                    assertThat(text).as("%s %s container %s", workload.kind(), workload.name(), c.getName())
                            .doesNotContain("curl ").doesNotContain("wget ");
                }
            });
        }
    }

    /** Release images in prod: a SNAPSHOT tag with IfNotPresent keeps whatever a node pulled first. */
    @Test
    void prodRunsReleaseTags() {
        List<String> images = Pods.workloads(Overlay.render("prod")).stream().flatMap(Pods.Workload::allContainers)
                .map(Container::getImage).filter(i -> i.contains("/oshigan/")).toList();
        assertThat(images).hasSize(Pods.SERVICES.size()).allSatisfy(i -> assertThat(i).doesNotContain("SNAPSHOT"));
    }

    /**
     * A pod without a CPU limit shows the JVM and TensorFlow the node's cores: everything the sampler sizes from the
     * cores it sees (TensorFlow's pools, the batcher's workers, the grid overlap) is set to a number, or a 64-core node
     * would split every crowd into 32 batches and give each run 64 threads.
     */
    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void theSamplerSizesNothingFromTheNodesCores(String overlay) {
        Container sampler = Pods.main(Overlay.render(overlay), Deployment.class, "sampler-service");
        for (String name : List.of("OSHIGAN_SAMPLER_THREADS_INTRA_OP", "OSHIGAN_SAMPLER_THREADS_INTER_OP",
                "OSHIGAN_SAMPLER_BATCHING_WORKERS")) {
            assertThat(Pods.env(sampler, name)).as(name).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 8));
        }
        assertThat(Pods.env(sampler, "OSHIGAN_SAMPLER_GRID_OVERLAP")).as("grid overlap").isPresent();
    }

    /**
     * Every JVM gets its heap share explicitly, with the native share written down; Quarkus's log manager is kept;
     * the trainer's face cache fits its heap; the crop service's largest image fits beside its heap; the sampler's
     * largest answer is no humongous G1 object; the gateway's largest request fits its /tmp several times.
     */
    @ParameterizedTest
    @MethodSource("io.oshigan.deploy.ManifestValidationTest#overlays")
    void memoryIsSizedPerService(String overlay) {
        Overlay rendered = Overlay.render(overlay);
        var config = rendered.one(io.fabric8.kubernetes.api.model.ConfigMap.class, "oshigan-services").getData();
        assertThat(config.get("JAVA_OPTS_APPEND")).contains("-Djava.util.logging.manager=org.jboss.logmanager.LogManager")
                .contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(config.get("JAVA_TOOL_OPTIONS")).contains("-Dorg.bytedeco.javacpp.cachedir=/cache/javacpp");
        for (String service : Pods.SERVICES) {
            Container c = Pods.main(rendered, service);
            int ratio = Integer.parseInt(Pods.env(c, "JAVA_MAX_MEM_RATIO").orElseThrow(() ->
                    new AssertionError(service + " has no JAVA_MAX_MEM_RATIO")));
            assertThat(ratio).as(service).isBetween(20, 80);
            long limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue();
            long heap = limit * ratio / 100;
            if (service.equals("trainer-service")) {
                long cache = Long.parseLong(Pods.env(c, "OSHIGAN_TRAINER_CACHE_MEMORY_MB").orElseThrow()) << 20;
                // with its waiting room (a quarter more), as the trainer sizes it (ImageCache.budgetWithin: a larger
                // setting would be cut, and the overlay would not say what runs)
                assertThat(cache + cache / 4).as("trainer cache within its heap of %d MiB, 512 MiB left", heap >> 20)
                        .isLessThanOrEqualTo(heap - (512L << 20));
            }
            if (service.equals("crop-service")) {
                // OpenCV's native memory beside the heap and the JVM's own 384 MiB holds one image of max-pixels at
                // 24 bytes a pixel (crop-service PixelBudget: measured), else the service lowers max-pixels to fit
                long maxPixels = Long.parseLong(Pods.env(c, "OSHIGAN_CROP_MAX_PIXELS").orElse("40000000"));
                assertThat((limit - heap - (384L << 20)) / 24).as("crop-service pixels beside its heap")
                        .isGreaterThanOrEqualTo(maxPixels);
            }
            if (service.equals("sampler-service")) {
                // its largest answer (max-images faces of floats) must fit below half a G1 region: not "humongous"
                long answer = Long.parseLong(Pods.env(c, "OSHIGAN_SAMPLER_MAX_IMAGES").orElse("64")) * 96 * 96 * 3 * 4;
                String gc = Pods.env(c, "GC_CONTAINER_OPTIONS").orElseThrow(() -> new AssertionError("sampler GC unset"));
                var region = java.util.regex.Pattern.compile("-XX:G1HeapRegionSize=(\\d+)m").matcher(gc);
                assertThat(gc).contains("-XX:+UseG1GC");
                assertThat(region.find()).as(gc).isTrue();
                assertThat(answer).as("largest answer vs half a region").isLessThan((Long.parseLong(region.group(1)) << 20) / 2);
            }
            if (service.equals("gateway")) {
                long body = Quantity.getAmountInBytes(new Quantity(Pods.env(c, "QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE")
                        .orElseThrow().replace("M", "Mi"))).longValue();
                var tmp = Pods.service(rendered, service).getVolumes().stream()
                        .filter(v -> v.getName().equals("tmp")).findFirst().orElseThrow().getEmptyDir().getSizeLimit();
                assertThat(Quantity.getAmountInBytes(tmp).longValue()).as("gateway /tmp").isGreaterThanOrEqualTo(4 * body);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        for (String part : List.of("base", "overlays")) {
            try (Stream<Path> paths = Files.walk(from.resolve(part))) {
                for (Path p : paths.toList()) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
        }
    }

    /** Every secret value of the overlay changed, in its env files and in literals. */
    private static void rotateSecrets(Path overlay) throws IOException {
        try (Stream<Path> files = Files.list(overlay)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".env")).toList()) {
                Files.writeString(f, Files.readString(f).replaceAll("(?m)^([A-Z_]+)=(.*)$", "$1=$2-rotated"));
            }
        }
        Path kustomization = overlay.resolve("kustomization.yaml");
        Files.writeString(kustomization, Files.readString(kustomization)
                .replaceAll("(?m)^(\\s+- [A-Z_]+)=(.*)$", "$1=$2-rotated"));
    }
}
