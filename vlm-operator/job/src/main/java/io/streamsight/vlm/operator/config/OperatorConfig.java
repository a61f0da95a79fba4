package io.streamsight.vlm.operator.config;

import io.streamsight.schemas.config.Checks;
import io.streamsight.schemas.config.ConfigBinder;
import io.streamsight.schemas.config.ConfigDoc;
import io.streamsight.schemas.config.ConfigException;
import io.streamsight.schemas.config.Durations;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the operator job can be tuned with, bound once from {@code operator.yaml} by {@link
 * ConfigBinder}: the components below are the file's keys (nested mappings), their {@link
 * ConfigDoc}s the defaults and docs, their constructors the validation. Immutable; shipped to the
 * Flink functions.
 */
public record OperatorConfig(
    @ConfigDoc("Event-time windows of keyframes, per camera; each closed window is summarised.")
        WindowConfig window,
    @ConfigDoc("Event-time progress per camera: lateness, clock guards, optional idleness.")
        WatermarkConfig watermarks,
    @ConfigDoc("The description written for every window.") SummaryConfig summary,
    @ConfigDoc("Answers to live questions (vlm.queries).") AskConfig ask,
    @ConfigDoc(
            "Keyframe images: tiles for the model, and the TaskManager's image cache (state and"
                + " records hold only references).")
        ImagesConfig images,
    @ConfigDoc("Batched, asynchronous inference: one service per TaskManager.")
        InferenceConfig inference,
    @ConfigDoc("Flink checkpoints.") CheckpointConfig checkpoint,
    @ConfigDoc(
            value =
                "Per-camera settings, an ordered list: the first entry whose `match` glob matches a"
                    + " camera id applies to it (its unset keys keep the top-level values).",
            defaultValue = "[]")
        List<CameraOverride> cameras,
    @ConfigDoc("Rolling per-camera digests on vlm.digests.") DigestConfig digests,
    @ConfigDoc(
            value =
                "Models declared once by name: each either in process (`engine`) or an"
                    + " OpenAI-compatible server (`server`). Without it the job has one model,"
                    + " named `default`: the one given with `--model`.",
            defaultValue = "{}")
        Map<String, ModelDeclaration> models,
    @ConfigDoc(
            "Which models each task uses, by name, in order of preference (fallback when a"
                + " budget is spent or a server is down); `cameras[].tasks` overrides per camera.")
        TaskModels tasks,
    @ConfigDoc("Alert events on vlm.alerts (STARTED, UPDATED, ENDED).") AlertsConfig alerts)
    implements Serializable {

  public OperatorConfig {
    cameras = List.copyOf(cameras);
    checkOverrides(cameras);
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    tasks = tasks == null ? TaskModels.INHERIT : tasks;
    checkModelNames(models, tasks, cameras);
  }

  /**
   * The config before {@code models:}, {@code tasks:} and {@code alerts:} (every task on {@code
   * --model}, alert events at their defaults).
   */
  public OperatorConfig(
      WindowConfig window,
      WatermarkConfig watermarks,
      SummaryConfig summary,
      AskConfig ask,
      ImagesConfig images,
      InferenceConfig inference,
      CheckpointConfig checkpoint,
      List<CameraOverride> cameras,
      DigestConfig digests) {
    this(
        window,
        watermarks,
        summary,
        ask,
        images,
        inference,
        checkpoint,
        cameras,
        digests,
        Map.of(),
        TaskModels.INHERIT,
        ConfigBinder.defaults(AlertsConfig.class));
  }

  /** Every name a task may use: the declared models and {@value TaskModels#DEFAULT_MODEL}. */
  public Set<String> modelNames() {
    Set<String> names = new LinkedHashSet<>(models.keySet());
    names.add(TaskModels.DEFAULT_MODEL);
    return names;
  }

  private static void checkModelNames(
      Map<String, ModelDeclaration> models, TaskModels tasks, List<CameraOverride> cameras) {
    Set<String> declared = new LinkedHashSet<>(models.keySet());
    declared.add(TaskModels.DEFAULT_MODEL);
    tasks.check("tasks", declared);
    for (int i = 0; i < cameras.size(); i++) {
      if (cameras.get(i).tasks() != null) {
        cameras.get(i).tasks().check("cameras[" + i + "].tasks", declared);
      }
    }
  }

  /**
   * The models {@code task} uses on {@code cameraId}, in order of preference: its camera override's
   * list, else the top-level {@code tasks:} list, else {@value TaskModels#DEFAULT_MODEL}.
   */
  public List<String> modelsFor(ModelTask task, String cameraId) {
    for (CameraOverride o : cameras) {
      if (o.matches(cameraId)) {
        if (o.tasks() != null && o.tasks().get(task) != null) {
          return o.tasks().get(task);
        }
        break; // the first matching entry is the camera's only override
      }
    }
    List<String> top = tasks.get(task);
    return top != null ? top : List.of(TaskModels.DEFAULT_MODEL);
  }

  /** Every model {@code task} may use on some camera (what its operator loads). */
  public Set<String> modelsFor(ModelTask task) {
    Set<String> names = new LinkedHashSet<>();
    List<String> top = tasks.get(task);
    names.addAll(top != null ? top : List.of(TaskModels.DEFAULT_MODEL));
    for (CameraOverride o : cameras) {
      if (o.tasks() != null && o.tasks().get(task) != null) {
        names.addAll(o.tasks().get(task));
      }
    }
    return names;
  }

  public OperatorConfig withModels(Map<String, ModelDeclaration> m, TaskModels t) {
    return new OperatorConfig(
        window,
        watermarks,
        summary,
        ask,
        images,
        inference,
        checkpoint,
        cameras,
        digests,
        m,
        t,
        alerts);
  }

  public record WindowConfig(
      @ConfigDoc(value = "Window length, in event time (capture time).", defaultValue = "10s")
          Duration size,
      @ConfigDoc(
              value = "Slide of sliding windows; at most `size`.",
              unset = "tumbling windows of `size`")
          Duration slide,
      @ConfigDoc(
              value =
                  "K: at most this many keyframes of a window reach the model (kept by novelty and"
                      + " spread).",
              defaultValue = "8")
          int maxFrames)
      implements Serializable {
    public WindowConfig {
      Checks.positive("size", size);
      if (slide != null && (slide.isZero() || slide.isNegative() || slide.compareTo(size) > 0)) {
        throw ConfigException.invalid(
            "slide",
            slide,
            "a duration > 0 and <= window.size (" + Durations.format(size) + "), or unset");
      }
      Checks.atLeast("maxFrames", maxFrames, 1);
    }
  }

  /**
   * Event time, kept per camera (see {@code CameraWindows}).
   *
   * @param outOfOrderness a camera's windows close when its newest capture time passes their end by
   *     this much; a keyframe arriving after its window closed is late (dead-lettered)
   * @param idleness null (the default) = off; else after this much wall time without records from a
   *     camera, its event time is taken to advance with the wall clock. Only a fallback for
   *     keyframe producers without progress records: the sampler's progress records already close
   *     the windows of static scenes and ended streams, deterministically, while this is a
   *     processing-time decision that a stalled replay makes differently
   * @param maxAheadOfWallClock a keyframe captured further than this ahead of the operator's wall
   *     clock is refused (dead-lettered, counted): a wrong clock or a file replayed faster than
   *     real time without {@code --realtime} must not run a camera's time into the future
   * @param maxBackwardsStep a keyframe more than this behind its camera's newest capture time is a
   *     clock step back (clock reset, restarted replay): the camera's open windows close and its
   *     time restarts from there, instead of every keyframe being late until the clock catches up
   */
  public record WatermarkConfig(
      @ConfigDoc(
              value =
                  "How late a keyframe may arrive: a camera's windows close when its newest"
                      + " capture time passes their end by this much. Keyframes come in capture"
                      + " order, but the sampler extrapolates a quiet camera's time on its wall"
                      + " clock after 3 s without frames; when frames were only delayed (a broker"
                      + " failover stalls ingest), this is the margin before they turn late. 1 s"
                      + " lost a window in the broker-and-TaskManager kill test; each second here"
                      + " is a second more before every summary.",
              defaultValue = "2s")
          Duration outOfOrderness,
      @ConfigDoc(
              value =
                  "Fallback for keyframes from a producer without progress records (an older"
                      + " sampler, keyframes published by hand): after this much wall time without"
                      + " records from a camera, its event time advances with the wall clock. A"
                      + " processing-time decision, so replays may cut windows differently.",
              unset = "off: the sampler's progress records move event time")
          Duration idleness,
      @ConfigDoc(
              value =
                  "A keyframe captured further than this ahead of the operator's wall clock is"
                      + " dead-lettered (wrong clock, or a file ingested without --realtime).",
              defaultValue = "1m")
          Duration maxAheadOfWallClock,
      @ConfigDoc(
              value =
                  "A keyframe more than this behind its camera's newest capture time is a clock"
                      + " step back: the camera's open windows close and its time restarts.",
              defaultValue = "1m")
          Duration maxBackwardsStep)
      implements Serializable {
    public static final Duration DEFAULT_MAX_AHEAD_OF_WALL_CLOCK = Duration.ofMinutes(1);

    public static final Duration DEFAULT_MAX_BACKWARDS_STEP = Duration.ofMinutes(1);

    public WatermarkConfig {
      Checks.positive("outOfOrderness", outOfOrderness);
      if (idleness != null) {
        Checks.positive("idleness", idleness);
      }
      Checks.positive("maxAheadOfWallClock", maxAheadOfWallClock);
      Checks.positive("maxBackwardsStep", maxBackwardsStep);
    }

    public WatermarkConfig(Duration outOfOrderness, Duration idleness) {
      this(outOfOrderness, idleness, DEFAULT_MAX_AHEAD_OF_WALL_CLOCK, DEFAULT_MAX_BACKWARDS_STEP);
    }
  }

  public record SummaryConfig(
      @ConfigDoc(
              value = "The instruction every window is described with.",
              defaultValue = "Describe what happens in these frames in one sentence.")
          String instruction,
      @ConfigDoc(value = "Summary length cap, in tokens.", defaultValue = "48") int maxNewTokens)
      implements Serializable {
    public SummaryConfig {
      Checks.notBlank("instruction", instruction);
      Checks.atLeast("maxNewTokens", maxNewTokens, 1);
    }
  }

  /**
   * Live questions are about now: a question is answered from a frame captured at most {@code
   * freshness} before it was asked, waiting at most {@code freshFrameWait} (wall time) for one;
   * then it is answered from the camera's newest frame and marked OFFLINE with that frame's age.
   */
  public record AskConfig(
      @ConfigDoc(value = "Answer length cap, in tokens.", defaultValue = "48") int maxNewTokens,
      @ConfigDoc(
              value =
                  "A frame captured at most this long before a question was asked is fresh"
                      + " enough to answer it (the answer is ANSWERED).",
              defaultValue = "1s")
          Duration freshness,
      @ConfigDoc(
              value =
                  "How long (wall time) a question waits for a fresh frame (the sampler sends one"
                      + " when a question is pending); then it is answered from the camera's"
                      + " newest frame, as OFFLINE with that frame's age.",
              defaultValue = "1s")
          Duration freshFrameWait)
      implements Serializable {
    public AskConfig {
      Checks.atLeast("maxNewTokens", maxNewTokens, 1);
      Checks.positive("freshness", freshness);
      Checks.positive("freshFrameWait", freshFrameWait);
    }
  }

  /**
   * Keyframe images. State and records between operators hold only references (topic, partition,
   * offset; see {@code FrameRef}); the images live in a per-TaskManager cache filled by the
   * keyframe source and are read back from {@code cameras.keyframes} on a miss.
   *
   * @param cacheMiB heap budget of the TaskManager's image cache; it should hold every keyframe of
   *     the open windows of all its cameras, or inference reads them back from Kafka (slower, never
   *     wrong)
   * @param fetchTimeout how long one read-back from Kafka may take; then it is retried ({@code
   *     inference.retries}) and finally the window is summarised without that frame
   * @param fetchConsumers Kafka consumers (and threads) per inference subtask for read-backs,
   *     created on first use
   */
  public record ImagesConfig(
      @ConfigDoc(
              value =
                  "512-px tiles per frame besides the global image; 0 = the global image only"
                      + " (fastest).",
              defaultValue = "0")
          int maxTilesPerImage,
      @ConfigDoc(
              value =
                  "Heap for this TaskManager's cache of keyframe images (checkpoints and records"
                      + " hold only references); a miss reads the image back from Kafka.",
              defaultValue = "256")
          int cacheMiB,
      @ConfigDoc(
              value =
                  "Time limit of reading one batch of missed keyframes back from Kafka; a frame"
                      + " still unread after the retries is left out of its window (named in the"
                      + " logs; a window left with none is dead-lettered).",
              defaultValue = "10s")
          Duration fetchTimeout,
      @ConfigDoc(
              value = "Kafka consumers per inference subtask reading missed keyframes back.",
              defaultValue = "2")
          int fetchConsumers)
      implements Serializable {
    public ImagesConfig {
      Checks.atLeast("maxTilesPerImage", maxTilesPerImage, 0);
      Checks.atLeast("cacheMiB", cacheMiB, 1);
      Checks.positive("fetchTimeout", fetchTimeout);
      Checks.inRange("fetchConsumers", fetchConsumers, 1, 16);
    }

    public long cacheBytes() {
      return cacheMiB * 1024L * 1024L;
    }
  }

  public record CheckpointConfig(
      @ConfigDoc(
              value =
                  "Checkpoint interval; summaries, digests and dead letters are committed"
                      + " (exactly-once) at each, so a summary is readable up to this long after"
                      + " it is made (alerts and answers are written at once). Cheap: state holds"
                      + " keyframe references, not images.",
              defaultValue = "2s")
          Duration interval)
      implements Serializable {
    public CheckpointConfig {
      Checks.positive("interval", interval);
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

  public record InferenceConfig(
      @ConfigDoc(
              value = "Requests per model run, across all cameras and subtasks of a TaskManager.",
              defaultValue = "8")
          int maxBatch,
      @ConfigDoc(
              value = "How long the first request of a batch waits for company.",
              defaultValue = "20ms")
          Duration maxWait,
      @ConfigDoc(
              value = "Pending requests per TaskManager; beyond it submissions are retried.",
              defaultValue = "256")
          int queueCapacity,
      @ConfigDoc(
              value = "In-flight tasks per async operator subtask (Flink backpressure beyond).",
              defaultValue = "32")
          int asyncCapacity,
      @ConfigDoc(
              value = "Time limit of one inference task, retries included.",
              defaultValue = "120s")
          Duration timeout,
      @ConfigDoc(value = "Retries of retriable failures.", defaultValue = "2") int retries,
      @ConfigDoc(value = "Delay between retries.", defaultValue = "500ms") Duration retryDelay,
      @ConfigDoc(
              value =
                  "Windows lagging by more than this are shed (counted), never queued without"
                      + " bound.",
              defaultValue = "30s")
          Duration sheddingBudget,
      @ConfigDoc(
              value =
                  "What the lag is measured against: `frontier` = the newest window submitted"
                      + " (right for replays of old video), `wall` = the wall clock (right for"
                      + " live cameras).",
              defaultValue = "frontier")
          SheddingClock sheddingClock)
      implements Serializable {
    public InferenceConfig {
      Checks.atLeast("maxBatch", maxBatch, 1);
      Checks.positive("maxWait", maxWait);
      Checks.atLeast("queueCapacity", queueCapacity, 1);
      Checks.atLeast("asyncCapacity", asyncCapacity, 1);
      Checks.positive("timeout", timeout);
      Checks.atLeast("retries", retries, 0);
      Checks.positive("retryDelay", retryDelay);
      Checks.positive("sheddingBudget", sheddingBudget);
      if (sheddingClock == null) {
        throw ConfigException.invalid("sheddingClock", null, "frontier or wall");
      }
    }
  }

  /**
   * Alert events (see {@code io.streamsight.vlm.operator.alerts.AlertEvents}); the per-rule timing
   * (hysteresis, clearAfter, max/min duration, schedule) is on each rule, not here.
   */
  public record AlertsConfig(
      @ConfigDoc(
              value =
                  "At most one UPDATED record per event per this much event time: each summarised"
                      + " window of an open event adds its text and keyframes, the first one"
                      + " always.",
              defaultValue = "30s")
          Duration updateEvery)
      implements Serializable {
    public AlertsConfig {
      Checks.positive("updateEvery", updateEvery);
    }

    public long updateEveryMicros() {
      return updateEvery.toNanos() / 1000;
    }
  }

  /** Every key at its documented default. */
  public static OperatorConfig defaults() {
    return ConfigBinder.defaults(OperatorConfig.class);
  }

  /** Binds {@code operator.yaml}; a missing file, bad YAML or bad value fails naming the key. */
  public static OperatorConfig load(Path file) {
    return ConfigBinder.bind(file, OperatorConfig.class);
  }

  /**
   * Validated at start: an entry that can never apply (the same glob twice, or anything after
   * {@code *}) is a mistake. (Wider overlaps are allowed: {@code door-1} before {@code door-*} is
   * how a special case is written.)
   */
  private static void checkOverrides(List<CameraOverride> cameras) {
    for (int i = 0; i < cameras.size(); i++) {
      CameraOverride o = cameras.get(i);
      for (int j = 0; j < i; j++) {
        String earlier = cameras.get(j).match();
        if (earlier.equals(o.match()) || earlier.equals("*")) {
          throw ConfigException.invalid(
              "cameras[" + i + "].match",
              o.match(),
              "a glob that cameras[" + j + "] ('" + earlier + "') does not already cover");
        }
      }
    }
  }

  /** The settings of {@code cameraId}: its first matching override applied to the defaults. */
  public CameraSettings forCamera(String cameraId) {
    for (CameraOverride o : cameras) {
      if (o.matches(cameraId)) {
        Duration size = o.windowSize() != null ? o.windowSize() : window.size();
        Duration slide =
            o.windowSize() != null
                ? (o.windowSlide() != null ? o.windowSlide() : o.windowSize())
                : (window.slide() != null ? window.slide() : window.size());
        return new CameraSettings(
            o.instruction() != null ? o.instruction() : summary.instruction(),
            o.maxNewTokens() != null ? o.maxNewTokens() : summary.maxNewTokens(),
            size,
            slide);
      }
    }
    return new CameraSettings(
        summary.instruction(),
        summary.maxNewTokens(),
        window.size(),
        window.slide() != null ? window.slide() : window.size());
  }

  public String instructionFor(String cameraId) {
    return forCamera(cameraId).instruction();
  }

  public int summaryTokensFor(String cameraId) {
    return forCamera(cameraId).maxNewTokens();
  }

  public int askMaxNewTokens() {
    return ask.maxNewTokens();
  }

  public int maxTilesPerImage() {
    return images.maxTilesPerImage();
  }

  public OperatorConfig withAsk(AskConfig a) {
    return new OperatorConfig(
        window,
        watermarks,
        summary,
        a,
        images,
        inference,
        checkpoint,
        cameras,
        digests,
        models,
        tasks,
        alerts);
  }

  public Duration checkpointInterval() {
    return checkpoint.interval();
  }

  /** A copy with other inference settings (tests and benchmarks). */
  public OperatorConfig withInference(InferenceConfig i) {
    return new OperatorConfig(
        window,
        watermarks,
        summary,
        ask,
        images,
        i,
        checkpoint,
        cameras,
        digests,
        models,
        tasks,
        alerts);
  }

  public OperatorConfig withWindow(WindowConfig w) {
    return new OperatorConfig(
        w,
        watermarks,
        summary,
        ask,
        images,
        inference,
        checkpoint,
        cameras,
        digests,
        models,
        tasks,
        alerts);
  }

  public OperatorConfig withWatermarks(WatermarkConfig w) {
    return new OperatorConfig(
        window,
        w,
        summary,
        ask,
        images,
        inference,
        checkpoint,
        cameras,
        digests,
        models,
        tasks,
        alerts);
  }

  public OperatorConfig withCheckpointInterval(Duration d) {
    return new OperatorConfig(
        window,
        watermarks,
        summary,
        ask,
        images,
        inference,
        new CheckpointConfig(d),
        cameras,
        digests,
        models,
        tasks,
        alerts);
  }

  public OperatorConfig withCameras(List<CameraOverride> c) {
    return new OperatorConfig(
        window,
        watermarks,
        summary,
        ask,
        images,
        inference,
        checkpoint,
        c,
        digests,
        models,
        tasks,
        alerts);
  }

  public OperatorConfig withAlerts(AlertsConfig a) {
    return new OperatorConfig(
        window,
        watermarks,
        summary,
        ask,
        images,
        inference,
        checkpoint,
        cameras,
        digests,
        models,
        tasks,
        a);
  }

  public OperatorConfig withDigests(DigestConfig d) {
    return new OperatorConfig(
        window,
        watermarks,
        summary,
        ask,
        images,
        inference,
        checkpoint,
        cameras,
        d,
        models,
        tasks,
        alerts);
  }
}
