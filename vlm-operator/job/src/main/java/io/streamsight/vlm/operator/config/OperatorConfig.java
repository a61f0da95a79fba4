package io.streamsight.vlm.operator.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Everything the operator job can be tuned with, parsed once from {@code operator.yaml} (see {@link
 * ConfigReader} for the keys, types and defaults). Immutable; shipped to the Flink functions.
 */
public record OperatorConfig(
    WindowConfig window,
    WatermarkConfig watermarks,
    SummaryConfig summary,
    int askMaxNewTokens,
    int maxTilesPerImage,
    InferenceConfig inference,
    Duration checkpointInterval)
    implements Serializable {

  /**
   * @param slide null = tumbling windows of {@code size}
   * @param maxFrames K: at most this many keyframes per window reach the model
   */
  public record WindowConfig(Duration size, Duration slide, int maxFrames)
      implements Serializable {}

  /**
   * Event time, kept per camera (see {@code CameraWindows}).
   *
   * @param outOfOrderness a camera's windows close when its newest capture time passes their end by
   *     this much; a keyframe arriving after its window closed is late (dead-lettered)
   * @param idleness after this much wall time without keyframes from a camera, its event time is
   *     taken to advance with the wall clock, so its last windows close when a stream ends
   * @param maxAheadOfWallClock a keyframe captured further than this ahead of the operator's wall
   *     clock is refused (dead-lettered, counted): a wrong clock or a file replayed faster than
   *     real time without {@code --realtime} must not run a camera's time into the future
   * @param maxBackwardsStep a keyframe more than this behind its camera's newest capture time is a
   *     clock step back (clock reset, restarted replay): the camera's open windows close and its
   *     time restarts from there, instead of every keyframe being late until the clock catches up
   */
  public record WatermarkConfig(
      Duration outOfOrderness,
      Duration idleness,
      Duration maxAheadOfWallClock,
      Duration maxBackwardsStep)
      implements Serializable {
    /** Not YAML keys yet: defaults until the config reader binds them. */
    public static final Duration DEFAULT_MAX_AHEAD_OF_WALL_CLOCK = Duration.ofMinutes(1);

    public static final Duration DEFAULT_MAX_BACKWARDS_STEP = Duration.ofMinutes(1);

    public WatermarkConfig(Duration outOfOrderness, Duration idleness) {
      this(outOfOrderness, idleness, DEFAULT_MAX_AHEAD_OF_WALL_CLOCK, DEFAULT_MAX_BACKWARDS_STEP);
    }
  }

  /**
   * @param cameraInstructions per-camera override of {@code instruction}
   */
  public record SummaryConfig(
      String instruction, Map<String, String> cameraInstructions, int maxNewTokens)
      implements Serializable {
    public SummaryConfig {
      cameraInstructions = Map.copyOf(cameraInstructions);
    }

    public String instructionFor(String cameraId) {
      return cameraInstructions.getOrDefault(cameraId, instruction);
    }
  }

  /** Which clock inference lag is measured against when deciding to shed windows. */
  public enum SheddingClock {
    /**
     * The newest window end submitted to the inference service: lag = how much newer work waits
     * behind this one. Right for replays of old video, where wall clock means nothing.
     */
    FRONTIER,
    /** Wall clock: lag = now - window end. Right for live cameras (capture time is wall time). */
    WALL
  }

  /**
   * @param maxBatch requests per model run, across all keys and subtasks of this TaskManager
   * @param maxWait how long the first request of a batch waits for company
   * @param queueCapacity pending requests per TaskManager; beyond it submissions are retried
   * @param asyncCapacity in-flight tasks per async operator subtask (Flink backpressure beyond)
   * @param sheddingBudget windows lagging event time by more than this are shed
   */
  public record InferenceConfig(
      int maxBatch,
      Duration maxWait,
      int queueCapacity,
      int asyncCapacity,
      Duration timeout,
      int retries,
      Duration retryDelay,
      Duration sheddingBudget,
      SheddingClock sheddingClock)
      implements Serializable {}

  public static OperatorConfig defaults() {
    return ConfigReader.parse(Map.of());
  }

  /** Parses a YAML file; a missing file, bad YAML or bad value fails naming the key. */
  public static OperatorConfig load(Path file) {
    try (Reader r = Files.newBufferedReader(file)) {
      Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      if (root == null) {
        return defaults();
      }
      if (!(root instanceof Map<?, ?> map)) {
        throw new ConfigException("(root)", "expected a mapping in " + file);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) map;
      return ConfigReader.parse(m);
    } catch (IOException e) {
      throw new ConfigException("(file)", "cannot read " + file + ": " + e.getMessage());
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw new ConfigException("(file)", "invalid YAML in " + file + ": " + e.getMessage());
    }
  }

  public String instructionFor(String cameraId) {
    return summary.instructionFor(cameraId);
  }

  /** A copy with other inference settings (tests and benchmarks). */
  public OperatorConfig withInference(InferenceConfig i) {
    return new OperatorConfig(
        window, watermarks, summary, askMaxNewTokens, maxTilesPerImage, i, checkpointInterval);
  }

  public OperatorConfig withWindow(WindowConfig w) {
    return new OperatorConfig(
        w, watermarks, summary, askMaxNewTokens, maxTilesPerImage, inference, checkpointInterval);
  }

  public OperatorConfig withWatermarks(WatermarkConfig w) {
    return new OperatorConfig(
        window, w, summary, askMaxNewTokens, maxTilesPerImage, inference, checkpointInterval);
  }

  public OperatorConfig withCheckpointInterval(Duration d) {
    return new OperatorConfig(
        window, watermarks, summary, askMaxNewTokens, maxTilesPerImage, inference, d);
  }
}
