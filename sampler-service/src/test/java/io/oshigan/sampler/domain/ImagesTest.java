package io.oshigan.sampler.domain;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ImagesTest {

    @Test
    void pngAndJpegDecodeWithTheJdkToTheExpectedPixels() throws Exception {
        float[] pixels = new float[2 * 96 * 96 * 3];
        pixels[0] = 1f;       // image 0, pixel (0,0): red 255
        pixels[1] = -1f;      // green 0
        pixels[2] = 0f;       // blue 128
        pixels[96 * 96 * 3 + 5] = 1f; // image 1, pixel (0,1): blue 255
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Images.encode(pixels, 2, 2, Images.Format.PNG)));
        assertThat(png.getWidth()).isEqualTo(2 + 2 * 98);
        assertThat(png.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFF0080);
        assertThat(png.getRGB(2 + 98 + 1, 2) & 0xFF).isEqualTo(255);
        assertThat(png.getRGB(0, 0) & 0xFFFFFF).isZero();
        BufferedImage single = ImageIO.read(new ByteArrayInputStream(Images.encode(pixels, 1, 1, Images.Format.PNG)));
        assertThat(single.getWidth()).isEqualTo(96);
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(Images.encode(pixels, 2, 1, Images.Format.JPEG)));
        assertThat(jpeg.getHeight()).isEqualTo(2 + 2 * 98);
    }

    @Test
    void latentsAreDeterministicTruncatedAndInterpolated() {
        float[] a = Latents.fromSeed(7, 2, 10, Latents.Truncation.NONE, 0);
        assertThat(Latents.fromSeed(7, 2, 10, Latents.Truncation.NONE, 0)).isEqualTo(a);
        assertThat(Latents.fromSeed(8, 2, 10, Latents.Truncation.NONE, 0)).isNotEqualTo(a);
        for (float v : Latents.fromSeed(1, 50, 10, Latents.Truncation.RESAMPLE, 1f)) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(1f);
        }
        for (float v : Latents.fromSeed(1, 50, 10, Latents.Truncation.SCALE, 0.5f)) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(0.5f);
        }
        float[] from = {1, 0};
        float[] to = {0, 1};
        float[] linear = Latents.interpolate(from, to, 3, false);
        assertThat(linear).containsExactly(1, 0, 0.5f, 0.5f, 0, 1);
        float[] slerp = Latents.interpolate(from, to, 3, true);
        assertThat(slerp[2]).isCloseTo((float) Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(slerp[4]).isCloseTo(0f, org.assertj.core.data.Offset.offset(1e-6f));
    }
}
