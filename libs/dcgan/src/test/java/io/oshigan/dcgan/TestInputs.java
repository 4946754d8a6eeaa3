package io.oshigan.dcgan;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.Random;

/** Inputs the precision and gradient tests share, each from its seed. */
final class TestInputs {
    private TestInputs() {
    }

    /** Latent vectors [n,1,1,nz], standard normal. */
    static TFloat32 latents(int n, int nz, long seed) {
        Random random = new Random(seed);
        float[] z = new float[n * nz];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return Tensors.of(z, n, 1, 1, nz);
    }

    /** Smooth colour gradients [n,96,96,3] in [-1, 1], as faces are smooth: not noise, which no precision represents well. */
    static TFloat32 smoothImages(int n, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[n * 96 * 96 * 3];
        for (int k = 0; k < n; k++) {
            float[] base = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
            for (int y = 0; y < 96; y++) {
                for (int x = 0; x < 96; x++) {
                    for (int c = 0; c < 3; c++) {
                        pixels[((k * 96 + y) * 96 + x) * 3 + c] = (float) Math.sin(base[c] * 6 + x / 20.0 + c * y / 30.0);
                    }
                }
            }
        }
        return Tensors.of(pixels, n, 96, 96, 3);
    }

    /** A variable of {@code shape}, standard normal. */
    static Variable<TFloat32> gaussianVariable(Ops tf, Shape shape, long seed) {
        Random random = new Random(seed);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return tf.variable(tf.constant(shape, DataBuffers.of(values, true, false)));
    }
}
