package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.operator.config.ModelTask;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.config.TaskModels;
import io.streamsight.vlm.operator.images.FrameFetcher;
import io.streamsight.vlm.operator.images.FrameImages;
import io.streamsight.vlm.operator.images.ImageCache;
import io.streamsight.vlm.operator.types.CallTimings;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleCheck;
import io.streamsight.vlm.operator.types.TaskFinish;
import io.streamsight.vlm.operator.util.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each task's model calls (describe for a closed window, one score per rule for a window so
 * far, or one ask) to the models named for the task and camera ({@link OperatorConfig#modelsFor},
 * through this subtask's {@link ModelPool}) and completes when all are back. Retriable failures are
 * retried with a delay; a model that throws fails the task (restart from checkpoint); a timeout
 * becomes an error outcome so one stuck call cannot stall the job. A model that cannot take work
 * (server down, circuit open, budget spent) hands it to the next model named for the task; when
 * none can, window work is shed like work that lagged (counted: {@code windowsShed}, {@code
 * modelUnavailableShed}; a summary's {@code windowsShedBefore}), and a question gets an ERROR
 * answer saying so. Rules with {@code verifyWith} are verified here ({@link Cascade}).
 *
 * <p>Tasks carry keyframe references only; the images are resolved here, just before the model
 * needs them ({@link FrameImages}: this TaskManager's cache, else read back from Kafka). So neither
 * the windows' state nor this operator's checkpointed in-flight tasks hold JPEGs. A frame that
 * cannot be read is left out of its window (counted as {@code framesUnavailable}, logged with the
 * reason); a window left with none completes as {@link TaskFinish#FRAMES_UNAVAILABLE} (a summary is
 * then dead-lettered, a question answered with the error).
 */
public final class InferenceAsyncFunction
    extends RichAsyncFunction<InferenceTask, InferenceOutcome> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(InferenceAsyncFunction.class);
  private final Models models;
  private final List<String> uses;
  private final OperatorConfig config;
  private final FrameFetcher.Factory frames;
  private transient FrameFetcher fetcher;
  private transient FrameImages images;
  private transient Counter framesFetched;
  private transient Counter framesUnavailable;
  private transient RateLimitedLog unavailable;
  private transient ModelPool pool;
  private transient Cascade cascade;
  private transient CascadeMetrics cascadeMetrics;
  private transient Histogram latencyMillis;
  private transient Histogram batchSize;
  private transient Counter windowsShed;
  private transient Counter modelUnavailableShed;
  private transient Counter ruleScoresFailed;
  private transient RateLimitedLog scoreFailures;

  /** Images only from this TaskManager's cache (sources that are not Kafka: tests). */
  public InferenceAsyncFunction(ModelProvider provider, OperatorConfig config) {
    this(provider, config, FrameFetcher.none());
  }

  /**
   * One model for every task.
   *
   * @param frames reads back keyframe images this TaskManager's {@link ImageCache} does not hold
   */
  public InferenceAsyncFunction(
      ModelProvider provider, OperatorConfig config, FrameFetcher.Factory frames) {
    this(Models.single(provider), config, frames, List.of(TaskModels.DEFAULT_MODEL));
  }

  /**
   * @param uses the models this operator loads: every model its tasks may name on any camera (and,
   *     for window work, any rule's verifier)
   */
  public InferenceAsyncFunction(
      Models models, OperatorConfig config, FrameFetcher.Factory frames, Collection<String> uses) {
    this.models = models;
    this.config = config;
    this.frames = frames;
    this.uses = List.copyOf(uses);
  }

  /**
   * Summaries and rule scores: loads every declared model, since any rule may name any of them as
   * its verifier ({@code verifyWith}), at any time.
   */
  public static InferenceAsyncFunction forWindows(
      Models models, OperatorConfig config, FrameFetcher.Factory frames) {
    return new InferenceAsyncFunction(models, config, frames, models.names());
  }

  /** Live questions: the models named for questions. */
  public static InferenceAsyncFunction forQuestions(
      Models models, OperatorConfig config, FrameFetcher.Factory frames) {
    return new InferenceAsyncFunction(
        models, config, frames, models.forTask(config, ModelTask.QUESTIONS));
  }

  @Override
  public void open(OpenContext ctx) {
    GpuDevice gpu = GpuDevice.of(getRuntimeContext());
    // The model's load line names the device once per TaskManager; this one says, per subtask,
    // where the index came from: worth INFO only when a GPU was assigned (a default 0 on CPU is
    // noise).
    boolean assigned = !gpu.source().startsWith("default");
    String task = getRuntimeContext().getTaskInfo().getTaskName();
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    if (assigned) {
      LOG.info("{} #{}: inference on GPU index {} ({})", task, subtask, gpu.index(), gpu.source());
    } else {
      LOG.debug("{} #{}: inference on GPU index {} ({})", task, subtask, gpu.index(), gpu.source());
    }
    var g = getRuntimeContext().getMetricGroup().addGroup("inference");
    pool = ModelPool.open(models, uses, gpu.index(), config.inference(), g);
    cascadeMetrics = new CascadeMetrics(g);
    cascade = new Cascade(pool, cascadeMetrics, new ImageBudget(config.maxTilesPerImage()));
    latencyMillis = g.histogram("latencyMillis", new DescriptiveStatisticsHistogram(1000));
    batchSize = g.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
    windowsShed = g.counter("windowsShed");
    modelUnavailableShed = g.counter("modelUnavailableShed");
    ruleScoresFailed = g.counter("ruleScoresFailed");
    // Per rule id, one line a minute with the count; a broken rule fails on every window.
    scoreFailures = new RateLimitedLog(LOG, Duration.ofMinutes(1), 1024);
    ImageCache cache = ImageCache.shared();
    cache.resize(config.images().cacheBytes());
    fetcher = frames.open(config.images());
    images =
        new FrameImages(
            cache, fetcher, config.inference().retries(), config.inference().retryDelay());
    framesFetched = g.counter("framesFetched");
    framesUnavailable = g.counter("framesUnavailable");
    g.gauge("imageCacheBytes", (Gauge<Long>) cache::bytes);
    unavailable = new RateLimitedLog(LOG, Duration.ofMinutes(1), 1024);
  }

  @Override
  public void close() {
    if (fetcher != null) {
      fetcher.close();
      fetcher = null;
    }
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  @Override
  public void asyncInvoke(InferenceTask task, ResultFuture<InferenceOutcome> out) {
    if (task.isTick()) { // event time only, for the alert events: nothing for the model
      out.complete(List.of(outcome(task, "", TaskFinish.SCORED, null, CallTimings.NONE, null)));
      return;
    }
    long now = System.currentTimeMillis() * 1000;
    if (task.isQuery() && task.window() == null) {
      out.complete(
          List.of(outcome(task, "", TaskFinish.UNKNOWN_CAMERA, null, CallTimings.NONE, null)));
      return;
    }
    if (task.isQuery()
        && task.query().deadlineMicros() > 0
        && now > task.query().deadlineMicros()) {
      out.complete(List.of(outcome(task, "", TaskFinish.EXPIRED, null, CallTimings.NONE, null)));
      return;
    }
    images
        .resolve(task.window().frames())
        .whenComplete(
            (r, failure) -> {
              if (failure != null) {
                out.completeExceptionally(failure);
              } else {
                invoke(withImagesOf(task, r), r, out);
              }
            });
  }

  /**
   * The task about the frames whose images could be read (outcomes reference what the model saw).
   * Missing frames are counted and logged, naming each frame and why.
   */
  private InferenceTask withImagesOf(InferenceTask task, FrameImages.Resolved r) {
    framesFetched.inc(r.fetched());
    if (r.missing().isEmpty()) {
      return task;
    }
    framesUnavailable.inc(r.missing().size());
    unavailable.warn(
        "frames:" + task.cameraId(),
        "camera "
            + task.cameraId()
            + " window ending "
            + task.window().windowEndMicros()
            + " us: "
            + (r.none() ? "no image could be read" : "left out of the window")
            + ": "
            + r.missingReason());
    if (r.none()) {
      return task; // kept whole: the dead letter names the window's frames
    }
    return new InferenceTask(
        task.cameraId(),
        task.window().withFrames(r.frames()),
        task.instruction(),
        task.rules(),
        task.query(),
        task.stale());
  }

  /** One model call of a task: the request and the models it may go to. */
  private record Call(List<String> chain, VlmRequest request) {}

  private void invoke(
      InferenceTask task, FrameImages.Resolved resolved, ResultFuture<InferenceOutcome> out) {
    if (resolved.none()) {
      out.complete(
          List.of(
              outcome(
                  task,
                  "",
                  TaskFinish.FRAMES_UNAVAILABLE,
                  null,
                  CallTimings.NONE,
                  "no keyframe image of the window could be read: " + resolved.missingReason())));
      return;
    }
    List<byte[]> imgs = resolved.images();
    long event = task.isQuery() ? InferenceService.NEVER_SHED : task.eventTimeMicros();
    long started = System.nanoTime();
    List<CompletableFuture<Routed>> calls = new ArrayList<>();
    for (Call c : calls(task, imgs)) {
      // Questions are urgent: a person waits, so they go ahead of queued window work.
      calls.add(pool.submit(c.chain(), c.request(), task.cameraId(), event, task.isQuery()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenCompose(
            ignored -> {
              latencyMillis.update((System.nanoTime() - started) / 1_000_000);
              InferenceOutcome o =
                  combine(task, calls.stream().map(CompletableFuture::join).toList());
              if (o.finish() == TaskFinish.SHED || o.pYes().length == 0) {
                return CompletableFuture.completedFuture(o);
              }
              return cascade.verify(task, imgs, o.pYes(), o.checks()).thenApply(o::withChecks);
            })
        .whenComplete(
            (o, failure) -> {
              if (failure != null) {
                Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                out.completeExceptionally(cause);
              } else {
                out.complete(List.of(o));
              }
            });
  }

  @Override
  public void timeout(InferenceTask task, ResultFuture<InferenceOutcome> out) {
    String why = "inference timed out after " + config.inference().timeout();
    out.complete(List.of(outcome(task, "", TaskFinish.ERROR, null, CallTimings.NONE, why)));
  }

  private List<Call> calls(InferenceTask task, List<byte[]> images) {
    ImageBudget budget = new ImageBudget(config.maxTilesPerImage());
    String camera = task.cameraId();
    List<Call> out = new ArrayList<>();
    if (task.isQuery()) {
      out.add(
          new Call(
              config.modelsFor(ModelTask.QUESTIONS, camera),
              new VlmRequest(
                  Task.ASK,
                  images,
                  task.query().question(),
                  GenerationOptions.greedy(config.askMaxNewTokens(), budget))));
      return out;
    }
    if (task.instruction() != null) {
      out.add(
          new Call(
              config.modelsFor(ModelTask.SUMMARIES, camera),
              new VlmRequest(
                  Task.DESCRIBE,
                  images,
                  task.instruction(),
                  GenerationOptions.greedy(config.summaryTokensFor(camera), budget))));
    }
    List<String> scoring = config.modelsFor(ModelTask.RULES, camera);
    for (Rule rule : task.rules()) {
      out.add(
          new Call(
              scoring,
              new VlmRequest(
                  Task.SCORE, images, rule.question(), GenerationOptions.greedy(1, budget))));
    }
    return out;
  }

  private InferenceOutcome combine(InferenceTask task, List<Routed> done) {
    for (Routed r : done) {
      if (!r.shed() && !r.unavailable()) {
        batchSize.update(r.completion().batchSize());
      }
    }
    Routed blocked = done.stream().filter(Routed::unavailable).findFirst().orElse(null);
    if (task.isQuery() && blocked != null) {
      return outcome(
          task,
          "",
          TaskFinish.ERROR,
          null,
          CallTimings.NONE,
          "no model could answer: " + blocked.completion().unavailable());
    }
    if (blocked != null || done.stream().anyMatch(Routed::shed)) {
      windowsShed.inc();
      if (blocked != null) {
        modelUnavailableShed.inc();
        unavailable.warn(
            "unavailable:" + blocked.model(),
            "camera "
                + task.cameraId()
                + ": window work shed, no model named for it could take it: "
                + blocked.completion().unavailable());
      }
      return new InferenceOutcome(
          task,
          done.isEmpty() ? "" : done.get(0).modelId(),
          "",
          TaskFinish.SHED,
          null,
          CallTimings.NONE,
          null,
          nowMicros());
    }
    // A summary starts with its describe call and a question with its ask; a window-so-far task
    // only scores rules.
    int first = task.instruction() != null || task.isQuery() ? 1 : 0;
    Routed text = done.get(0);
    VlmResult textResult = text.completion().result();
    CallTimings timings = CallTimings.of(textResult, text.completion().queueMillis());
    if (first == 1 && textResult.finishReason() == FinishReason.ERROR) {
      return outcome(task, text.modelId(), "", TaskFinish.ERROR, null, timings, textResult.error());
    }
    double[] pYes = new double[done.size() - first];
    RuleCheck[] checks = new RuleCheck[pYes.length];
    for (int i = first; i < done.size(); i++) {
      var r = done.get(i).completion().result();
      checks[i - first] = RuleCheck.unverified(r.scoreMethod());
      // A failed score is NaN, not 0: a rule whose scoring always fails must be visible as broken
      // (counted, logged), not look like a camera where the answer is always "no".
      if (r.finishReason() == FinishReason.ERROR || Double.isNaN(r.pYes())) {
        pYes[i - first] = Double.NaN;
        scoreFailed(task, task.rules()[i - first], r.error());
      } else {
        pYes[i - first] = r.pYes();
      }
    }
    return new InferenceOutcome(
        task,
        text.modelId(),
        first == 1 ? textResult.text() : "",
        first == 1 ? TaskFinish.of(textResult.finishReason()) : TaskFinish.SCORED,
        pYes,
        timings,
        null,
        nowMicros(),
        checks);
  }

  /** Failed scores counted by this subtask (the {@code ruleScoresFailed} metric; for tests). */
  long ruleScoresFailedCount() {
    return ruleScoresFailed.getCount();
  }

  /** A rule's cascade counter ({@code UNVERIFIED}: screened) on this subtask (for tests). */
  long cascadeCount(String ruleId, RuleCheck.Verdict v) {
    return cascadeMetrics.count(ruleId, v);
  }

  /** Window work shed by this subtask (the {@code windowsShed} metric; for tests). */
  long windowsShedCount() {
    return windowsShed.getCount();
  }

  /** Of those, shed because no model could take it (for tests). */
  long modelUnavailableShedCount() {
    return modelUnavailableShed.getCount();
  }

  private void scoreFailed(InferenceTask task, Rule rule, String error) {
    ruleScoresFailed.inc();
    long n =
        scoreFailures.warn(
            rule.id(),
            "rule "
                + rule.id()
                + ": scoring failed on camera "
                + task.cameraId()
                + " window ending "
                + task.window().windowEndMicros()
                + " us: "
                + (error == null ? "no p(yes)" : error));
    LOG.debug("rule {} score failures so far on this subtask: {}", rule.id(), n);
  }

  private InferenceOutcome outcome(
      InferenceTask task,
      String text,
      TaskFinish finish,
      double[] pYes,
      CallTimings t,
      String error) {
    String model = pool == null ? "" : pool.modelId(chainOf(task));
    return outcome(task, model, text, finish, pYes, t, error);
  }

  private static InferenceOutcome outcome(
      InferenceTask task,
      String model,
      String text,
      TaskFinish finish,
      double[] pYes,
      CallTimings t,
      String error) {
    return new InferenceOutcome(
        task, model, text, finish, pYes == null ? new double[0] : pYes, t, error, nowMicros());
  }

  private List<String> chainOf(InferenceTask task) {
    ModelTask kind =
        task.isQuery()
            ? ModelTask.QUESTIONS
            : task.instruction() != null ? ModelTask.SUMMARIES : ModelTask.RULES;
    return config.modelsFor(kind, task.cameraId());
  }

  private static long nowMicros() {
    return System.currentTimeMillis() * 1000;
  }
}
