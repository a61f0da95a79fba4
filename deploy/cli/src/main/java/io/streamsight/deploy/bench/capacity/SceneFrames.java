package io.streamsight.deploy.bench.capacity;

import io.streamsight.ingest.features.FeatureExtractor;
import io.streamsight.schemas.avro.FrameFeatures;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The load generator's pictures, encoded once: a few static scenes (a gradient, shapes and noise,
 * so the JPEGs are the size of real ones and the features are not trivial) and one event scene in
 * which red dominates, the colour the benchmark's rule asks about. Every frame of a camera is one
 * of these, so the generator spends no CPU on pictures while it runs.
 */
final class SceneFrames {
  static final int WIDTH = 640;
  static final int HEIGHT = 360;
  static final String EVENT_QUESTION = "Is the scene red?";

  /** One encoded picture with the features ingest would compute for it. */
  record Picture(byte[] jpeg, FrameFeatures features) {}

  private final List<Picture> scenes;
  private final Picture event;

  private SceneFrames(List<Picture> scenes, Picture event) {
    this.scenes = scenes;
    this.event = event;
  }

  static SceneFrames create() {
    // Light colourless static scenes (greys, a beige): the fixture model names a window's
    // dominant colour over all its frames, and a saturated (blue) or dark (black) background
    // outvoted the red event frame in the window so far, so events on those cameras were never
    // alerted (a benchmark artefact, not a pipeline limit).
    Color[] tones = {
      new Color(90, 90, 95),
      new Color(140, 140, 135),
      new Color(170, 165, 160),
      new Color(200, 198, 190)
    };
    List<Picture> scenes = new ArrayList<>();
    for (int i = 0; i < tones.length; i++) {
      scenes.add(picture(tones[i], tones[(i + 1) % tones.length], i));
    }
    return new SceneFrames(scenes, picture(new Color(210, 30, 25), new Color(170, 20, 20), 99));
  }

  /** The static scene of camera number {@code camera}. */
  Picture scene(int camera) {
    return scenes.get(camera % scenes.size());
  }

  Picture event() {
    return event;
  }

  int averageJpegBytes() {
    return (int) scenes.stream().mapToInt(p -> p.jpeg().length).average().orElse(0);
  }

  private static Picture picture(Color main, Color accent, int seed) {
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, main.darker(), WIDTH, HEIGHT, main.brighter()));
    g.fillRect(0, 0, WIDTH, HEIGHT);
    Random r = new Random(seed);
    for (int i = 0; i < 12; i++) {
      g.setColor(i % 3 == 0 ? accent : main.darker().darker());
      g.fillRect(r.nextInt(WIDTH), r.nextInt(HEIGHT), 20 + r.nextInt(90), 10 + r.nextInt(60));
    }
    g.dispose();
    // Sensor-like noise: real frames do not compress like flat colour.
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        int rgb = img.getRGB(x, y);
        int n = r.nextInt(17) - 8;
        int red = clamp(((rgb >> 16) & 0xff) + n);
        int green = clamp(((rgb >> 8) & 0xff) + n);
        int blue = clamp((rgb & 0xff) + n);
        img.setRGB(x, y, (red << 16) | (green << 8) | blue);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "jpg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Picture(out.toByteArray(), FeatureExtractor.fromImage(img));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
