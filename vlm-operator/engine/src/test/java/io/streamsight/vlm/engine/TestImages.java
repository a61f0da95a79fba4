package io.streamsight.vlm.engine;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/** Encoded test images. */
final class TestImages {
  static final Map<String, Color> PALETTE =
      Map.of(
          "red", new Color(230, 20, 20),
          "green", new Color(20, 160, 30),
          "blue", new Color(20, 30, 220),
          "yellow", new Color(240, 230, 30),
          "white", new Color(250, 250, 250),
          "black", new Color(10, 10, 10));

  private TestImages() {}

  static byte[] solid(String colour, int w, int h, String format) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(PALETTE.get(colour));
    g.fillRect(0, 0, w, h);
    g.dispose();
    return encode(img, format);
  }

  /** Background colour with a square of another colour covering {@code fraction} of the area. */
  static byte[] withSquare(String background, String square, double fraction, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(PALETTE.get(background));
    g.fillRect(0, 0, w, h);
    g.setColor(PALETTE.get(square));
    int side = (int) Math.round(Math.sqrt(fraction * w * h));
    g.fillRect((w - side) / 2, (h - side) / 2, side, side);
    g.dispose();
    return encode(img, "png");
  }

  static byte[] encode(BufferedImage img, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, format, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
