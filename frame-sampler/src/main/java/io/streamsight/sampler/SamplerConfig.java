package io.streamsight.sampler;

import io.streamsight.schemas.config.ConfigBinder;
import java.nio.file.Path;
import java.util.Map;

/**
 * Sampler configuration, bound once at start from {@code sampler.yaml} (keys, defaults and docs:
 * {@link SamplerFile}; docs/configuration.md lists them). A bad value fails at start naming the
 * key.
 *
 * @param defaults the rules of cameras without overrides
 * @param cameras per-camera rules (top-level values merged with the camera's overrides)
 * @param progress event-time progress records (same for every camera)
 * @param questions live questions forcing QUERY keyframes (same for every camera)
 * @param state bounds on the per-camera state: TTL and new camera ids per minute
 */
public record SamplerConfig(
    String applicationId,
    CameraSettings defaults,
    Map<String, CameraSettings> cameras,
    ProgressSettings progress,
    QuestionSettings questions,
    StateSettings state) {

  public static final String DEFAULT_APPLICATION_ID = "streamsight-frame-sampler";

  public SamplerConfig {
    cameras = Map.copyOf(cameras);
    progress = progress == null ? ProgressSettings.DEFAULTS : progress;
    questions = questions == null ? QuestionSettings.DEFAULTS : questions;
    state = state == null ? StateSettings.DEFAULTS : state;
  }

  /** With the default state bounds. */
  public SamplerConfig(
      String applicationId,
      CameraSettings defaults,
      Map<String, CameraSettings> cameras,
      ProgressSettings progress,
      QuestionSettings questions) {
    this(applicationId, defaults, cameras, progress, questions, StateSettings.DEFAULTS);
  }

  /** With the default question settings. */
  public SamplerConfig(
      String applicationId,
      CameraSettings defaults,
      Map<String, CameraSettings> cameras,
      ProgressSettings progress) {
    this(applicationId, defaults, cameras, progress, QuestionSettings.DEFAULTS);
  }

  /** With the default progress and question settings. */
  public SamplerConfig(
      String applicationId, CameraSettings defaults, Map<String, CameraSettings> cameras) {
    this(applicationId, defaults, cameras, ProgressSettings.DEFAULTS);
  }

  public static SamplerConfig standard() {
    return new SamplerConfig(DEFAULT_APPLICATION_ID, CameraSettings.DEFAULTS, Map.of());
  }

  public CameraSettings forCamera(String cameraId) {
    return cameras.getOrDefault(cameraId, defaults);
  }

  public SamplerConfig withApplicationId(String id) {
    return new SamplerConfig(id, defaults, cameras, progress, questions, state);
  }

  public SamplerConfig withProgress(ProgressSettings p) {
    return new SamplerConfig(applicationId, defaults, cameras, p, questions, state);
  }

  public SamplerConfig withQuestions(QuestionSettings q) {
    return new SamplerConfig(applicationId, defaults, cameras, progress, q, state);
  }

  public SamplerConfig withState(StateSettings s) {
    return new SamplerConfig(applicationId, defaults, cameras, progress, questions, s);
  }

  /** Binds {@code sampler.yaml}; a missing file or bad value fails naming file and key. */
  public static SamplerConfig load(Path file) {
    return ConfigBinder.load(file, SamplerFile.class, SamplerFile::toConfig);
  }
}
