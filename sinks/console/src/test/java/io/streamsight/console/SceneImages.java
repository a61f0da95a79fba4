package io.streamsight.console;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Camera-like JPEGs drawn with Java2D (sky, ground, a shape, an overlay), for the screenshots. */
final class SceneImages {
  private SceneImages() {}

  static byte[] scene(String camera, Color sky, Color ground, Color thing, int seed) {
    int w = 640;
    int h = 360;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, sky, 0, h * 0.55f, sky.darker()));
    g.fillRect(0, 0, w, h);
    g.setPaint(new GradientPaint(0, h * 0.55f, ground, 0, h, ground.darker().darker()));
    g.fillRect(0, (int) (h * 0.55), w, h);
    g.setColor(new Color(60, 60, 70));
    g.fillRect(40 + seed * 23 % 200, 110, 220, 100); // a building
    g.setColor(new Color(220, 220, 170));
    for (int i = 0; i < 4; i++) {
      g.fillRect(60 + seed * 23 % 200 + i * 50, 130, 24, 20);
    }
    g.setColor(thing);
    g.fillRoundRect(330 + seed * 37 % 180, 230, 120, 55, 18, 18); // a car, a van...
    g.setColor(Color.BLACK);
    g.fillOval(345 + seed * 37 % 180, 272, 26, 26);
    g.fillOval(415 + seed * 37 % 180, 272, 26, 26);
    g.setStroke(new BasicStroke(2));
    g.setColor(new Color(255, 255, 255, 200));
    g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 18));
    g.drawString(camera.toUpperCase(), 14, 26);
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
