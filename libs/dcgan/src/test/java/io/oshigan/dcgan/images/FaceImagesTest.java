package io.oshigan.dcgan.images;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class FaceImagesTest {

    @Test
    void pngAndJpegDecodeWithTheJdkToTheExpectedPixels() throws Exception {
        float[] pixels = new float[2 * 96 * 96 * 3];
        pixels[0] = 1f;       // image 0, pixel (0,0): red 255
        pixels[1] = -1f;      // green 0
        pixels[2] = 0f;       // blue 128
        pixels[96 * 96 * 3 + 5] = 1f; // image 1, pixel (0,1): blue 255
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(FaceImages.encode(pixels, 2, 2, FaceImages.Format.PNG)));
        assertThat(png.getWidth()).isEqualTo(2 + 2 * 98);
        assertThat(png.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFF0080);
        assertThat(png.getRGB(2 + 98 + 1, 2) & 0xFF).isEqualTo(255);
        assertThat(png.getRGB(0, 0) & 0xFFFFFF).isZero();
        BufferedImage single = ImageIO.read(new ByteArrayInputStream(FaceImages.encode(pixels, 1, 1, FaceImages.Format.PNG)));
        assertThat(single.getWidth()).isEqualTo(96);
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(FaceImages.encode(pixels, 2, 1, FaceImages.Format.JPEG)));
        assertThat(jpeg.getHeight()).isEqualTo(2 + 2 * 98);
    }

}
