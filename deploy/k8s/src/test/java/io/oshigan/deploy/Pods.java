package io.oshigan.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The pod templates of an overlay's workloads, and small lookups on them. */
final class Pods {
    static final List<String> SERVICES = List.of("crop-service", "trainer-service", "sampler-service", "gateway");

    record Workload(String kind, String name, PodSpec spec) {
        Stream<Container> allContainers() {
            return Stream.concat(spec.getContainers().stream(),
                    spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream());
        }
    }

    private Pods() {
    }

    static List<Workload> workloads(Overlay overlay) {
        List<Workload> all = new ArrayList<>();
        overlay.all(Deployment.class).forEach(d -> all.add(new Workload("Deployment", d.getMetadata().getName(), d.getSpec().getTemplate().getSpec())));
        overlay.all(StatefulSet.class).forEach(s -> all.add(new Workload("StatefulSet", s.getMetadata().getName(), s.getSpec().getTemplate().getSpec())));
        overlay.all(Job.class).forEach(j -> all.add(new Workload("Job", j.getMetadata().getName(), j.getSpec().getTemplate().getSpec())));
        return all;
    }

    static Container main(Overlay overlay, Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind, String name) {
        PodSpec spec = workloads(overlay).stream().filter(w -> w.name().equals(name) && w.kind().equals(kind.getSimpleName()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name)).spec();
        return spec.getContainers().get(0);
    }

    /** A service's pod, whichever workload runs it (the trainer is a StatefulSet, the others Deployments). */
    static PodSpec spec(Overlay overlay, String name) {
        return service(overlay, name);
    }

    /** A service's pod template (labels, spec), whichever workload runs it. */
    static io.fabric8.kubernetes.api.model.PodTemplateSpec template(Overlay overlay, String name) {
        return overlay.all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name))
                .map(d -> d.getSpec().getTemplate()).findFirst()
                .or(() -> overlay.all(StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals(name))
                        .map(s -> s.getSpec().getTemplate()).findFirst())
                .orElseThrow(() -> new AssertionError("no workload " + name));
    }

    /** A service's pod, whichever workload runs it (the trainer is a StatefulSet, the others Deployments). */
    static PodSpec service(Overlay overlay, String name) {
        return workloads(overlay).stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no workload " + name)).spec();
    }

    /** A service's main container, whichever workload runs it. */
    static Container main(Overlay overlay, String name) {
        return service(overlay, name).getContainers().get(0);
    }

    static Optional<String> env(Container container, String name) {
        return container.getEnv() == null ? Optional.empty() : container.getEnv().stream()
                .filter(e -> e.getName().equals(name)).map(EnvVar::getValue).filter(java.util.Objects::nonNull).findFirst();
    }

    static boolean mounts(Container container, String path) {
        return container.getVolumeMounts() != null && container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals(path));
    }
}
