package io.oshigan.dcgan.pytorch;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.InferenceGraph;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference script's generator state_dict (keys {@code main.<i>.weight}, ..., or without "main.") mapped onto
 * our variables: ConvTranspose2d weights [in,out,k,k] become [k,k,out,in]; BatchNorm2d weight, bias, running mean and
 * variance become gamma, beta, mean, var. nz and ngf are read from the shapes.
 */
public final class ReferenceGenerator {
    private static final Pattern KEY = Pattern.compile("(?:.*\\.)?(\\d+)\\.(weight|bias|running_mean|running_var|num_batches_tracked)");
    private static final int[] CONVS = {0, 3, 6, 9, 12};
    private static final int[] NORMS = {1, 4, 7, 10};
    private static final int[] KERNELS = {4, 4, 4, 4, 5};

    private ReferenceGenerator() {
    }

    public static Architecture architecture(Map<String, StateDictReader.Tensor> stateDict) {
        StateDictReader.Tensor first = find(stateDict, 0, "weight");
        StateDictReader.Tensor last = find(stateDict, 12, "weight");
        if (first.shape().length != 4 || last.shape().length != 4 || last.shape()[1] != Architecture.CHANNELS) {
            throw new PyTorchImportException("layers 0 and 12 do not have the reference generator's shapes: "
                    + java.util.Arrays.toString(first.shape()) + ", " + java.util.Arrays.toString(last.shape()));
        }
        long nz = first.shape()[0];
        long ngf = last.shape()[0];
        if (nz > Architecture.MAX_NZ || ngf > Architecture.MAX_WIDTH) {
            throw new PyTorchImportException("the generator has nz=" + nz + ", ngf=" + ngf + "; at most nz="
                    + Architecture.MAX_NZ + ", ngf=" + Architecture.MAX_WIDTH + " are served");
        }
        // the discriminator is not imported; its width only names the architecture
        return new Architecture((int) nz, (int) ngf, (int) ngf);
    }

    /** Writes the weights into an initialised inference graph of {@link #architecture}. */
    public static void load(Map<String, StateDictReader.Tensor> stateDict, InferenceGraph generator) {
        Architecture a = generator.architecture();
        int[] channels = a.generatorChannels();
        for (int i = 0; i < CONVS.length; i++) {
            StateDictReader.Tensor w = find(stateDict, CONVS[i], "weight");
            long[] expected = {channels[i], channels[i + 1], KERNELS[i], KERNELS[i]};
            if (!java.util.Arrays.equals(w.shape(), expected)) {
                throw new PyTorchImportException("layer " + CONVS[i] + " weight has shape " + java.util.Arrays.toString(w.shape())
                        + "; the reference generator with nz=" + a.nz() + ", ngf=" + a.ngf() + " has " + java.util.Arrays.toString(expected));
            }
            generator.variables().write("G_w" + i, toKernelOutIn(w));
        }
        for (int i = 0; i < NORMS.length; i++) {
            generator.variables().write("G_bn" + i + "_gamma", vector(stateDict, NORMS[i], "weight", channels[i + 1]));
            generator.variables().write("G_bn" + i + "_beta", vector(stateDict, NORMS[i], "bias", channels[i + 1]));
            generator.variables().write("G_bn" + i + "_mean", vector(stateDict, NORMS[i], "running_mean", channels[i + 1]));
            generator.variables().write("G_bn" + i + "_var", vector(stateDict, NORMS[i], "running_var", channels[i + 1]));
        }
    }

    /** [in,out,k,k] to [k,k,out,in]. */
    private static float[] toKernelOutIn(StateDictReader.Tensor w) {
        int in = (int) w.shape()[0];
        int out = (int) w.shape()[1];
        int k = (int) w.shape()[2];
        float[] result = new float[w.values().length];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                for (int y = 0; y < k; y++) {
                    for (int x = 0; x < k; x++) {
                        result[((y * k + x) * out + o) * in + i] = w.values()[((i * out + o) * k + y) * k + x];
                    }
                }
            }
        }
        return result;
    }

    private static float[] vector(Map<String, StateDictReader.Tensor> stateDict, int layer, String field, int size) {
        StateDictReader.Tensor t = find(stateDict, layer, field);
        if (t.values().length != size) {
            throw new PyTorchImportException("layer " + layer + " " + field + " has " + t.values().length + " values, not " + size);
        }
        return t.values();
    }

    private static StateDictReader.Tensor find(Map<String, StateDictReader.Tensor> stateDict, int layer, String field) {
        for (Map.Entry<String, StateDictReader.Tensor> e : stateDict.entrySet()) {
            Matcher m = KEY.matcher(e.getKey());
            if (m.matches() && Integer.parseInt(m.group(1)) == layer && m.group(2).equals(field)) {
                return e.getValue();
            }
        }
        throw new PyTorchImportException("the state_dict has no " + layer + "." + field + ": it is not the reference "
                + "generator (keys " + stateDict.keySet() + ")");
    }
}
