package io.oshigan.dcgan;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.List;

/**
 * Differentiable augmentation (Zhao et al., 2020, policy colour, translation, cutout) of images [B,96,96,3], so G's
 * gradient flows through it. Built from ops whose gradients TF Java has (arithmetic, pad, slice, concat). The
 * randomness is fed from Java, one row of {@link #PARAMS} per image, so a resumed run augments as an uninterrupted one:
 * brightness, saturation, contrast in [0, 1); vertical and horizontal shift in [-12, 12]; cutout centre row and column
 * in [0, 96].
 */
public final class DiffAugment {
    public static final int PARAMS = 7;
    /** Translation up to 1/8 of the side; cutout of half the side. */
    public static final int MAX_SHIFT = 12;
    public static final int CUTOUT = 48;

    private DiffAugment() {
    }

    static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> images, Operand<TFloat32> params, int batch) {
        Operand<TFloat32> x = colour(tf, images, params);
        x = translate(tf, x, params, batch);
        return cutout(tf, x, params);
    }

    private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> params, int index) {
        Operand<TFloat32> c = tf.slice(params, tf.constant(new int[]{0, index}), tf.constant(new int[]{-1, 1}));
        return tf.reshape(c, tf.constant(new int[]{-1, 1, 1, 1}));
    }

    private static Operand<TFloat32> colour(Ops tf, Operand<TFloat32> x, Operand<TFloat32> params) {
        Operand<TFloat32> half = tf.constant(0.5f);
        x = tf.math.add(x, tf.math.sub(column(tf, params, 0), half));
        Operand<TFloat32> channelMean = tf.math.mean(x, tf.constant(new int[]{3}), org.tensorflow.op.math.Mean.keepDims(true));
        x = tf.math.add(tf.math.mul(tf.math.sub(x, channelMean), tf.math.mul(column(tf, params, 1), tf.constant(2f))), channelMean);
        Operand<TFloat32> imageMean = tf.math.mean(x, tf.constant(new int[]{1, 2, 3}), org.tensorflow.op.math.Mean.keepDims(true));
        return tf.math.add(tf.math.mul(tf.math.sub(x, imageMean), tf.math.add(column(tf, params, 2), half)), imageMean);
    }

    private static Operand<TFloat32> translate(Ops tf, Operand<TFloat32> x, Operand<TFloat32> params, int batch) {
        int size = Architecture.IMAGE_SIZE;
        Operand<TFloat32> padded = tf.pad(x, tf.constant(new int[][]{{0, 0}, {MAX_SHIFT, MAX_SHIFT}, {MAX_SHIFT, MAX_SHIFT}, {0, 0}}),
                tf.constant(0f));
        Operand<TInt32> shifts = tf.dtypes.cast(tf.slice(params, tf.constant(new int[]{0, 3}), tf.constant(new int[]{-1, 2})),
                TInt32.class);
        List<Operand<TFloat32>> images = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            Operand<TInt32> shift = tf.reshape(tf.slice(shifts, tf.constant(new int[]{b, 0}), tf.constant(new int[]{1, 2})),
                    tf.constant(new int[]{2}));
            Operand<TInt32> begin = tf.concat(List.of(tf.constant(new int[]{b}),
                    tf.math.sub(tf.constant(new int[]{MAX_SHIFT, MAX_SHIFT}), shift), tf.constant(new int[]{0})), tf.constant(0));
            images.add(tf.slice(padded, begin, tf.constant(new int[]{1, size, size, Architecture.CHANNELS})));
        }
        return images.size() == 1 ? images.get(0) : tf.concat(images, tf.constant(0));
    }

    private static Operand<TFloat32> cutout(Ops tf, Operand<TFloat32> x, Operand<TFloat32> params) {
        int size = Architecture.IMAGE_SIZE;
        float[] positions = new float[size];
        for (int i = 0; i < size; i++) {
            positions[i] = i;
        }
        Operand<TFloat32> rows = tf.reshape(tf.constant(positions), tf.constant(new int[]{1, size, 1, 1}));
        Operand<TFloat32> cols = tf.reshape(tf.constant(positions), tf.constant(new int[]{1, 1, size, 1}));
        Operand<TFloat32> insideRows = inside(tf, rows, column(tf, params, 5));
        Operand<TFloat32> insideCols = inside(tf, cols, column(tf, params, 6));
        Operand<TFloat32> keep = tf.math.sub(tf.constant(1f), tf.math.mul(insideRows, insideCols));
        return tf.math.mul(x, keep);
    }

    /** 1 where centre - 24 <= position <= centre + 23, else 0. */
    private static Operand<TFloat32> inside(Ops tf, Operand<TFloat32> positions, Operand<TFloat32> centre) {
        Operand<TFloat32> from = tf.math.sub(centre, tf.constant((float) (CUTOUT / 2)));
        Operand<TFloat32> to = tf.math.add(centre, tf.constant((float) (CUTOUT / 2 - 1)));
        Operand<TFloat32> afterStart = tf.dtypes.cast(tf.math.greaterEqual(positions, from), TFloat32.class);
        Operand<TFloat32> beforeEnd = tf.dtypes.cast(tf.math.lessEqual(positions, to), TFloat32.class);
        return tf.math.mul(afterStart, beforeEnd);
    }
}
