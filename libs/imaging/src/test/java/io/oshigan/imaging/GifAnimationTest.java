package io.oshigan.imaging;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GifAnimationTest {
    private static final int[] COLOURS = {0xe4407a, 0x3b6fd8, 0x22aa44};

    @Test
    void everyFrameIsThereWithItsDelayAndTheAnimationLoopsForever() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GifAnimation gif = new GifAnimation(bytes, 400)) {
            for (int colour : COLOURS) {
                gif.add(solid(40, 30, colour));
            }
            assertThat(gif.frames()).isEqualTo(3);
        }
        assertThat(new String(bytes.toByteArray(), 0, 6, "US-ASCII")).isEqualTo("GIF89a");

        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(COLOURS.length);
            for (int i = 0; i < COLOURS.length; i++) {
                BufferedImage frame = reader.read(i);
                assertThat(frame.getWidth()).isEqualTo(40);
                assertThat(frame.getHeight()).isEqualTo(30);
                assertThat(frame.getRGB(20, 15) & 0xffffff).as("frame %d", i).isEqualTo(COLOURS[i]);
                IIOMetadataNode tree = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                assertThat(attribute(tree, "GraphicControlExtension", "delayTime")).isEqualTo("40");
                List<String> applications = new ArrayList<>();
                for (Node n : children(tree, "ApplicationExtension")) {
                    IIOMetadataNode app = (IIOMetadataNode) n;
                    applications.add(app.getAttribute("applicationID") + app.getAttribute("authenticationCode")
                            + java.util.Arrays.toString((byte[]) app.getUserObject()));
                }
                assertThat(applications).as("frame %d", i).isEqualTo(i == 0 ? List.of("NETSCAPE2.0[1, 0, 0]") : List.of());
            }
        } finally {
            reader.dispose();
        }
    }

    @Test
    void aFrameOfManyColoursKeepsItsPictureWithinAPalettesReach() throws Exception {
        BufferedImage gradient = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 96; x++) {
                gradient.setRGB(x, y, (x * 255 / 95) << 16 | (y * 255 / 95) << 8 | ((x + y) * 255 / 190));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GifAnimation gif = new GifAnimation(bytes, 100)) {
            gif.add(gradient);
        }
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        long total = 0;
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 96; x++) {
                int a = gradient.getRGB(x, y), b = back.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    total += Math.abs((a >> shift & 0xff) - (b >> shift & 0xff));
                }
            }
        }
        assertThat(total / (96.0 * 96 * 3)).as("mean error in 0-255 levels").isLessThan(12);
    }

    @Test
    void aDelayAGifCannotHoldIsRefused() {
        assertThatThrownBy(() -> new GifAnimation(new ByteArrayOutputStream(), 5)).hasMessageContaining("10 ms");
    }

    private static BufferedImage solid(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static String attribute(IIOMetadataNode tree, String element, String name) {
        return ((IIOMetadataNode) tree.getElementsByTagName(element).item(0)).getAttribute(name);
    }

    private static List<Node> children(IIOMetadataNode tree, String element) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < tree.getElementsByTagName(element).getLength(); i++) {
            nodes.add(tree.getElementsByTagName(element).item(i));
        }
        return nodes;
    }
}
