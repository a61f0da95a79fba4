package io.streamsight.deploy.remote;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/** Solid-colour JPEGs in the fixture model's palette. */
final class SolidJpegs {
  private static final Map<String, Color> PALETTE =
      Map.of(
          "red", new Color(230, 20, 20),
          "green", new Color(20, 160, 30),
          "blue", new Color(20, 30, 220),
          "yellow", new Color(240, 230, 30));

  private SolidJpegs() {}

  static byte[] of(String colour) {
    BufferedImage img = new BufferedImage(160, 90, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(PALETTE.get(colour));
    g.fillRect(0, 0, 160, 90);
    g.dispose();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "jpg", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
