package io.oshigan.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The offline validators this machine has: kubectl (kustomize) and yamllint. Missing tools fail, never skip. */
final class Tools {
    /** The module's folder, deploy/k8s. */
    static final Path K8S = Path.of("").toAbsolutePath();
    static final Path REPO = K8S.resolve("../..").normalize();

    record Output(int exitCode, String stdout, String stderr) {
    }

    private Tools() {
    }

    static String kustomize(String overlay) {
        return kustomize(K8S, overlay);
    }

    /** Renders overlays/{overlay} of a deploy/k8s tree (this module's, or an altered copy of it). */
    static String kustomize(Path k8s, String overlay) {
        Output out = run(null, "kubectl", "kustomize", k8s.resolve("overlays").resolve(overlay).toString());
        if (out.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize overlays/" + overlay + " failed:\n" + out.stderr());
        }
        return out.stdout();
    }

    /** yamllint with deploy/k8s/.yamllint; {@code input} null lints the given paths, else stdin. */
    static Output yamllint(String input, String... paths) {
        List<String> command = new java.util.ArrayList<>(List.of("yamllint", "-f", "parsable", "-c", K8S.resolve(".yamllint").toString()));
        command.addAll(input == null ? List.of(paths) : List.of("-"));
        return run(input, command.toArray(String[]::new));
    }

    static Output run(String stdin, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(K8S.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is needed for the deploy checks and was not found on the PATH: "
                    + (command[0].equals("yamllint") ? "apt-get install yamllint"
                    : "install kubectl 1.30+ (Debian 12 does not package it: the Kubernetes project's apt repository has it)")
                    + "; see the README's two commands", e);
        }
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 2 minutes");
            }
            return new Output(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
