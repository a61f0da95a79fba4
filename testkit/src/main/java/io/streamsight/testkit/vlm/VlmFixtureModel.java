package io.streamsight.testkit.vlm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a tiny Idefics3/SmolVLM model directory with the published contract (file names, tensor
 * names, ranks, dtypes, config files, a word-level tokenizer.json with SmolVLM's special tokens,
 * 64-px tiles) and known behaviour:
 *
 * <ul>
 *   <li>describe / ask without a colour: names the dominant palette colour of each image's global
 *       view, in image order ("red red blue"), then ends;
 *   <li>a question naming a colour ("Is the scene blue?"): answers Yes when that colour covers more
 *       than half of the images' pixels, else No; score gives p(yes) close to 1 or 0.
 * </ul>
 *
 * Palette: {@link FixtureVocabulary#COLOURS}. The decoder really attends over its KV cache and
 * counts with position ids, so a dropped cache, wrong positions or misplaced image features change
 * its answers.
 */
public final class VlmFixtureModel {
  public static final int TILE = 64;
  public static final int LONGEST_EDGE = 128;
  public static final int TOKENS_PER_TILE = 4;
  public static final List<String> COLOURS = FixtureVocabulary.COLOURS;

  private VlmFixtureModel() {}

  /** Writes the colour fixture into {@code dir} (created if needed) and returns it. */
  public static Path write(Path dir) {
    try {
      FixtureVocabulary vocab = new FixtureVocabulary();
      Files.createDirectories(dir.resolve("onnx"));
      ColourVisionGraphs.writeVision(
          dir.resolve("onnx/vision_encoder.onnx"), TILE, TOKENS_PER_TILE);
      ColourVisionGraphs.writeEmbed(dir.resolve("onnx/embed_tokens.onnx"), vocab);
      new ColourDecoderGraph(vocab).write(dir.resolve("onnx/decoder_model_merged.onnx"));
      ModelConfigFiles.write(
          dir,
          vocab,
          new ModelConfigFiles.Sizes(
              ColourDecoderGraph.LAYERS,
              ColourDecoderGraph.HEADS,
              ColourDecoderGraph.HEADS,
              ColourDecoderGraph.HEAD_DIM,
              ColourDecoderGraph.D,
              TILE,
              LONGEST_EDGE,
              TOKENS_PER_TILE,
              4096),
          "fixture: names dominant colours; yes/no on a named colour");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write fixture model to " + dir, e);
    }
  }
}
