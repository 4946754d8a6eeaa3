package io.oshigan.dcgan.bench;

import io.oshigan.dcgan.Architecture;

/**
 * Floating-point operations of the reference DCGAN per image: 2 per multiply-add of every convolution (batch norm and
 * element-wise ops are left out; they are a few percent). A backward pass costs one convolution for the input
 * gradient (not needed for the network's own input) and one for the weight gradient (only when the weights train).
 */
final class Flops {
    private Flops() {
    }

    /** Multiply-adds per layer: output pixels x output channels x kernel area x input channels. */
    static double[] generatorMacs(Architecture a) {
        int ngf = a.ngf();
        int[] in = {a.nz(), ngf * 8, ngf * 4, ngf * 2, ngf};
        int[] out = {ngf * 8, ngf * 4, ngf * 2, ngf, 3};
        int[] inSize = {1, 4, 8, 16, 32};
        int[] kernel = {4, 4, 4, 4, 5};
        double[] macs = new double[5];
        for (int i = 0; i < 5; i++) {
            // a transposed convolution does kernel-area x in x out multiply-adds per input pixel
            macs[i] = (double) inSize[i] * inSize[i] * kernel[i] * kernel[i] * in[i] * out[i];
        }
        return macs;
    }

    static double[] discriminatorMacs(Architecture a) {
        int[] channels = a.discriminatorChannels();
        int[] in = java.util.Arrays.copyOfRange(channels, 0, 5);
        int[] out = java.util.Arrays.copyOfRange(channels, 1, 6);
        int[] outSize = {32, 16, 8, 4, 1};
        int[] kernel = {5, 4, 4, 4, 4};
        double[] macs = new double[5];
        for (int i = 0; i < 5; i++) {
            macs[i] = (double) outSize[i] * outSize[i] * kernel[i] * kernel[i] * in[i] * out[i];
        }
        return macs;
    }

    static double generatorForward(Architecture a) {
        return 2 * sum(generatorMacs(a));
    }

    static double discriminatorForward(Architecture a) {
        return 2 * sum(discriminatorMacs(a));
    }

    /**
     * One D step (G forward; D forward and backward on the real and on the fake batch) plus one G step (G forward,
     * D forward, D backward to its input, G backward), per image.
     */
    static double trainingStep(Architecture a) {
        double gForward = generatorForward(a);
        double dForward = discriminatorForward(a);
        double dHiddenInputGrad = dForward - 2 * discriminatorMacs(a)[0]; // the images need no gradient
        double gHiddenInputGrad = gForward - 2 * generatorMacs(a)[0];     // nor does z
        double dStep = gForward + 2 * dForward + 2 * (dForward + dHiddenInputGrad);
        double gStep = gForward + dForward + dForward + gForward + gHiddenInputGrad;
        return dStep + gStep;
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
