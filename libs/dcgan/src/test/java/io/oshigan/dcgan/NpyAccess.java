package io.oshigan.dcgan;

/** The parity fixtures for tests in other packages. */
public final class NpyAccess {
    private NpyAccess() {
    }

    public static float[] read(String name) {
        return Npy.resource(name).data();
    }
}
