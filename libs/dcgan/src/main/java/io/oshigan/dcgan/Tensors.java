package io.oshigan.dcgan;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.types.TFloat32;

/** float[] in and out of native tensors. The caller closes every tensor it gets. */
public final class Tensors {
    private Tensors() {
    }

    public static TFloat32 of(float[] values, long... shape) {
        Shape s = Shape.of(shape);
        if (s.size() != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + s);
        }
        return TFloat32.tensorOf(s, DataBuffers.of(values, true, false));
    }

    /** Rows [from, to) of the first dimension, flattened: one request's share of a batch without copying the whole. */
    public static float[] rows(TFloat32 tensor, long from, long to) {
        long perRow = tensor.shape().size() / tensor.shape().size(0);
        float[] out = new float[Math.toIntExact((to - from) * perRow)];
        tensor.slice(Indices.range(from, to)).copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    public static float[] values(TFloat32 tensor) {
        float[] out = new float[(int) tensor.shape().size()];
        tensor.copyTo(DataBuffers.of(out, false, false));
        return out;
    }
}
