package io.oshigan.dcgan;

import org.tensorflow.proto.ConfigProto;

/**
 * TensorFlow's thread pools for one session: intra-op (inside one op) and inter-op (ops in parallel). 0 lets
 * TensorFlow use one per core. Fixed counts make training bit-reproducible on one machine.
 */
public record SessionThreads(int intraOp, int interOp) {
    public static SessionThreads defaults() {
        return new SessionThreads(0, 0);
    }

    public ConfigProto config() {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOp)
                .setInterOpParallelismThreads(interOp)
                .setAllowSoftPlacement(true)
                .build();
    }
}
