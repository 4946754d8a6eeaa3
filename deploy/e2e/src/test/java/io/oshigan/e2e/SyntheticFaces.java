package io.oshigan.e2e;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/** Simple cartoon faces (a coloured disc, two eyes) as 96x96 PNGs, to drop straight into the faces bucket. */
final class SyntheticFaces {
    private SyntheticFaces() {
    }

    static byte[] face(int seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(random.nextInt(0xFFFFFF)));
        g.fillRect(0, 0, 96, 96);
        g.setColor(new Color(255, 220 - random.nextInt(40), 190 - random.nextInt(40)));
        g.fillOval(14, 14, 68, 72);
        g.setColor(new Color(random.nextInt(0xFFFFFF)));
        int eyes = 34 + random.nextInt(10);
        g.fillOval(30, eyes, 12, 14);
        g.fillOval(54, eyes, 12, 14);
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
