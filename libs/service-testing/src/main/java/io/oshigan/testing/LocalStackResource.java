package io.oshigan.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the real local stack: {@code @WithTestResource(LocalStackResource.class)}.
 * The stack lives for the whole test JVM, so {@link #stop()} leaves it running for the next test class.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        LocalStackProcess stack = LocalStackProcess.shared();
        return Map.of(
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "oshigan.s3.endpoint", stack.s3Endpoint(),
                "oshigan.s3.access-key", LocalStackProcess.ACCESS_KEY,
                "oshigan.s3.secret-key", LocalStackProcess.SECRET_KEY);
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM; a shutdown hook stops it
    }
}
