package io.oshigan.trainer.domain;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/**
 * Cartoon faces for demos and tests, 96x96: varied background, skin, hair and eye colours, face size and position.
 * The same (seed, index) always draws the same face. No anime images are needed to see a GAN learn.
 */
public final class SyntheticFaces {
    private static final Color[] SKIN = {new Color(255, 224, 196), new Color(241, 194, 160), new Color(224, 172, 128),
            new Color(255, 236, 220), new Color(198, 134, 96)};
    private static final Color[] HAIR = {new Color(250, 120, 170), new Color(80, 120, 230), new Color(250, 220, 90),
            new Color(40, 30, 40), new Color(120, 70, 40), new Color(210, 210, 230), new Color(90, 190, 120),
            new Color(230, 90, 60)};
    private static final Color[] EYES = {new Color(60, 120, 220), new Color(200, 60, 80), new Color(60, 170, 90),
            new Color(140, 80, 200), new Color(230, 160, 40)};

    private SyntheticFaces() {
    }

    public static BufferedImage face(long seed, int index) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
        BufferedImage image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.getHSBColor((float) r.nextDouble(), 0.25f, 0.95f));
        g.fillRect(0, 0, 96, 96);
        int size = 52 + r.nextInt(14);
        int cx = 48 + r.nextInt(-5, 6);
        int cy = 52 + r.nextInt(-4, 5);
        Color hair = HAIR[r.nextInt(HAIR.length)];
        g.setColor(hair);
        g.fillOval(cx - size / 2 - 8, cy - size / 2 - 14, size + 16, size + 12);
        g.setColor(SKIN[r.nextInt(SKIN.length)]);
        g.fillOval(cx - size / 2, cy - size / 2 + 2, size, size);
        g.setColor(hair);
        g.fillArc(cx - size / 2 - 4, cy - size / 2 - 8, size + 8, size / 2 + 8, 0, 180);
        int eyeY = cy + r.nextInt(0, 6);
        int eyeGap = size / 4 + r.nextInt(-2, 3);
        int eyeW = 8 + r.nextInt(4);
        int eyeH = 10 + r.nextInt(6);
        Color iris = EYES[r.nextInt(EYES.length)];
        for (int side = -1; side <= 1; side += 2) {
            int ex = cx + side * eyeGap;
            g.setColor(Color.WHITE);
            g.fillOval(ex - eyeW / 2 - 1, eyeY - eyeH / 2 - 1, eyeW + 2, eyeH + 2);
            g.setColor(iris);
            g.fillOval(ex - eyeW / 2, eyeY - eyeH / 2, eyeW, eyeH);
            g.setColor(Color.BLACK);
            g.fillOval(ex - 2, eyeY - 2, 4, 5);
        }
        g.setColor(new Color(170, 60, 70));
        g.setStroke(new BasicStroke(2f));
        int mouthW = 8 + r.nextInt(8);
        g.drawArc(cx - mouthW / 2, cy + size / 4, mouthW, 6, 180, 180);
        g.dispose();
        return image;
    }

    /** One coloured disk on black: a data set with one simple visible structure, for learning tests. */
    public static BufferedImage blob(long seed, int index) {
        SplittableRandom r = new SplittableRandom(seed * 7_919L + index);
        BufferedImage image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200 + r.nextInt(56), 40 + r.nextInt(40), 40 + r.nextInt(40)));
        int radius = 22 + r.nextInt(8);
        g.fillOval(48 - radius + r.nextInt(-6, 7), 48 - radius + r.nextInt(-6, 7), 2 * radius, 2 * radius);
        g.dispose();
        return image;
    }

    public static byte[] png(BufferedImage image) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
