package io.oshigan.dcgan;

/**
 * The shape of the reference DCGAN (seed-model.md section 3): 96x96 RGB images from {@code nz} latent values,
 * generator width {@code ngf}, discriminator width {@code ndf}.
 */
public record Architecture(int nz, int ngf, int ndf) {
    public static final int DEFAULT_NZ = 100;
    public static final int DEFAULT_NGF = 64;
    public static final int DEFAULT_NDF = 64;
    public static final int IMAGE_SIZE = 96;
    public static final int CHANNELS = 3;
    /** Bounds far above the reference (100, 64): a request or an imported file cannot make a graph of any size. */
    public static final int MAX_NZ = 1024;
    public static final int MAX_WIDTH = 256;

    public Architecture {
        if (nz < 1 || ngf < 1 || ndf < 1) {
            throw new IllegalArgumentException("nz, ngf and ndf must be positive but are " + nz + ", " + ngf + ", " + ndf);
        }
        if (nz > MAX_NZ || ngf > MAX_WIDTH || ndf > MAX_WIDTH) {
            throw new IllegalArgumentException("nz must be at most " + MAX_NZ + " and ngf, ndf at most " + MAX_WIDTH
                    + " but are " + nz + ", " + ngf + ", " + ndf);
        }
    }

    /** G's channels layer by layer, from the latent vector to the image: nz, ngf*8, ngf*4, ngf*2, ngf, 3. */
    public int[] generatorChannels() {
        return new int[]{nz, ngf * 8, ngf * 4, ngf * 2, ngf, CHANNELS};
    }

    /** D's channels layer by layer, from the image to the logit: 3, ndf, ndf*2, ndf*4, ndf*8, 1. */
    public int[] discriminatorChannels() {
        return new int[]{CHANNELS, ndf, ndf * 2, ndf * 4, ndf * 8, 1};
    }

    /** Values in one image: 96 x 96 x 3. */
    public static int imageValues() {
        return IMAGE_SIZE * IMAGE_SIZE * CHANNELS;
    }

    public static Architecture reference() {
        return new Architecture(DEFAULT_NZ, DEFAULT_NGF, DEFAULT_NDF);
    }

    /** The demo's run (the oshigan script's --demo, OSHIGAN_TRAINER_RUN_NGF/NDF): half the reference's width. */
    public static Architecture demo() {
        return new Architecture(DEFAULT_NZ, DEFAULT_NGF / 2, DEFAULT_NDF / 2);
    }
}
