package io.oshigan.dcgan;

import org.tensorflow.proto.ConfigProto;

/**
 * TensorFlow's thread pools for one session: intra-op (inside one op) and inter-op (ops in parallel). 0 lets
 * TensorFlow use one per core. Fixed counts make training bit-reproducible on one machine. {@code cpuOnly} hides every
 * GPU from the session.
 */
public record SessionThreads(int intraOp, int interOp, boolean cpuOnly) {
    public SessionThreads(int intraOp, int interOp) {
        this(intraOp, interOp, false);
    }

    public static SessionThreads defaults() {
        return new SessionThreads(0, 0);
    }

    public SessionThreads onCpuOnly() {
        return new SessionThreads(intraOp, interOp, true);
    }

    public ConfigProto config() {
        ConfigProto.Builder config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOp)
                .setInterOpParallelismThreads(interOp)
                .setAllowSoftPlacement(true);
        if (cpuOnly) {
            config.putDeviceCount("GPU", 0);
        }
        return config.build();
    }
}
