package io.oshigan.support.config;

import java.lang.management.ManagementFactory;

/** The memory this process may use, as the JVM reads it: a container's limit where it has one, else the machine's. */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    public static long total() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }
}
