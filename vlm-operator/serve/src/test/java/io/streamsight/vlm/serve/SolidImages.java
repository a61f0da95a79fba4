package io.streamsight.vlm.serve;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;

/** Solid-colour test images in the fixture model's palette, as bytes and as data URLs. */
final class SolidImages {
  static final Map<String, Color> PALETTE =
      Map.of(
          "red", new Color(230, 20, 20),
          "green", new Color(20, 160, 30),
          "blue", new Color(20, 30, 220),
          "yellow", new Color(240, 230, 30),
          "white", new Color(250, 250, 250),
          "black", new Color(10, 10, 10));

  private SolidImages() {}

  static byte[] jpeg(String colour, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(PALETTE.get(colour));
    g.fillRect(0, 0, w, h);
    g.dispose();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "jpg", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String dataUrl(byte[] jpeg) {
    return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
  }
}
