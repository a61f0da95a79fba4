package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.images.FrameFetcher;
import io.streamsight.vlm.operator.images.FrameImages;
import io.streamsight.vlm.operator.images.ImageCache;
import io.streamsight.vlm.operator.types.CallTimings;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.TaskFinish;
import io.streamsight.vlm.operator.util.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * far, or one ask) to this TaskManager's {@link InferenceService} and completes when all are back.
 * Retriable failures are retried with a delay; a model that throws fails the task (restart from
 * checkpoint); a timeout becomes an error outcome so one stuck call cannot stall the job.
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
  private final ModelProvider provider;
  private final OperatorConfig config;
  private final FrameFetcher.Factory frames;
  private transient FrameFetcher fetcher;
  private transient FrameImages images;
  private transient Counter framesFetched;
  private transient Counter framesUnavailable;
  private transient RateLimitedLog unavailable;
  private transient InferenceServices.Lease lease;
  private transient InferenceService service;
  private transient Histogram latencyMillis;
  private transient Histogram batchSize;
  private transient Counter windowsShed;
  private transient Counter ruleScoresFailed;
  private transient RateLimitedLog scoreFailures;

  /** Images only from this TaskManager's cache (sources that are not Kafka: tests). */
  public InferenceAsyncFunction(ModelProvider provider, OperatorConfig config) {
    this(provider, config, FrameFetcher.none());
  }

  /**
   * @param frames reads back keyframe images this TaskManager's {@link ImageCache} does not hold
   */
  public InferenceAsyncFunction(
      ModelProvider provider, OperatorConfig config, FrameFetcher.Factory frames) {
    this.provider = provider;
    this.config = config;
    this.frames = frames;
  }

  @Override
  public void open(OpenContext ctx) {
    GpuDevice gpu = GpuDevice.of(getRuntimeContext());
    // The model's load line names the device once per TaskManager; this one says, per subtask,
    // where
    // the index came from: worth INFO only when a GPU was assigned (a default 0 on CPU is noise).
    boolean assigned = !gpu.source().startsWith("default");
    String task = getRuntimeContext().getTaskInfo().getTaskName();
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    if (assigned) {
      LOG.info("{} #{}: inference on GPU index {} ({})", task, subtask, gpu.index(), gpu.source());
    } else {
      LOG.debug("{} #{}: inference on GPU index {} ({})", task, subtask, gpu.index(), gpu.source());
    }
    lease = InferenceServices.lease(provider, gpu.index(), config.inference());
    service = lease.service();
    var g = getRuntimeContext().getMetricGroup().addGroup("inference");
    latencyMillis = g.histogram("latencyMillis", new DescriptiveStatisticsHistogram(1000));
    batchSize = g.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
    windowsShed = g.counter("windowsShed");
    ruleScoresFailed = g.counter("ruleScoresFailed");
    // Per rule id, one line a minute with the count; a broken rule fails on every window.
    scoreFailures = new RateLimitedLog(LOG, Duration.ofMinutes(1), 1024);
    InferenceService s = service;
    g.gauge("queueDepth", (Gauge<Integer>) s::queueDepth);
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
    if (lease != null) {
      service = null;
      lease.close();
      lease = null;
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
        task.query());
  }

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
    List<VlmRequest> requests = requests(task, resolved.images());
    long event = task.isQuery() ? InferenceService.NEVER_SHED : task.eventTimeMicros();
    long started = System.nanoTime();
    List<CompletableFuture<Completion>> calls = new ArrayList<>();
    for (VlmRequest r : requests) {
      calls.add(
          withRetries(
              // Questions are urgent: a person waits, so they go ahead of queued window work.
              () -> service.submit(r, task.cameraId(), event, task.isQuery()),
              config.inference().retries()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null) {
                Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                out.completeExceptionally(cause);
                return;
              }
              latencyMillis.update((System.nanoTime() - started) / 1_000_000);
              out.complete(
                  List.of(combine(task, calls.stream().map(CompletableFuture::join).toList())));
            });
  }

  @Override
  public void timeout(InferenceTask task, ResultFuture<InferenceOutcome> out) {
    String why = "inference timed out after " + config.inference().timeout();
    out.complete(List.of(outcome(task, "", TaskFinish.ERROR, null, CallTimings.NONE, why)));
  }

  private List<VlmRequest> requests(InferenceTask task, List<byte[]> images) {
    ImageBudget budget = new ImageBudget(config.maxTilesPerImage());
    List<VlmRequest> out = new ArrayList<>();
    if (task.isQuery()) {
      out.add(
          new VlmRequest(
              Task.ASK,
              images,
              task.query().question(),
              GenerationOptions.greedy(config.askMaxNewTokens(), budget)));
      return out;
    }
    if (task.instruction() != null) {
      out.add(
          new VlmRequest(
              Task.DESCRIBE,
              images,
              task.instruction(),
              GenerationOptions.greedy(config.summaryTokensFor(task.cameraId()), budget)));
    }
    for (Rule rule : task.rules()) {
      out.add(
          new VlmRequest(Task.SCORE, images, rule.question(), GenerationOptions.greedy(1, budget)));
    }
    return out;
  }

  private InferenceOutcome combine(InferenceTask task, List<Completion> done) {
    for (Completion c : done) {
      batchSize.update(c.batchSize());
    }
    if (done.stream().anyMatch(Completion::shed)) {
      windowsShed.inc();
      return new InferenceOutcome(
          task, service.modelId(), "", TaskFinish.SHED, null, CallTimings.NONE, null, nowMicros());
    }
    // A summary starts with its describe call and a question with its ask; a window-so-far task
    // only scores rules.
    int first = task.instruction() != null || task.isQuery() ? 1 : 0;
    Completion text = done.get(0);
    if (first == 1 && text.result().finishReason() == FinishReason.ERROR) {
      return outcome(
          task,
          "",
          TaskFinish.ERROR,
          null,
          CallTimings.of(text.result(), text.queueMillis()),
          text.result().error());
    }
    double[] pYes = new double[done.size() - first];
    for (int i = first; i < done.size(); i++) {
      var r = done.get(i).result();
      // A failed score is NaN, not 0: a rule whose scoring always fails must be visible as broken
      // (counted, logged), not look like a camera where the answer is always "no".
      if (r.finishReason() == FinishReason.ERROR || Double.isNaN(r.pYes())) {
        pYes[i - first] = Double.NaN;
        scoreFailed(task, task.rules()[i - first], r.error());
      } else {
        pYes[i - first] = r.pYes();
      }
    }
    return outcome(
        task,
        first == 1 ? text.result().text() : "",
        first == 1 ? TaskFinish.of(text.result().finishReason()) : TaskFinish.SCORED,
        pYes,
        CallTimings.of(text.result(), text.queueMillis()),
        null);
  }

  /** Failed scores counted by this subtask (the {@code ruleScoresFailed} metric; for tests). */
  long ruleScoresFailedCount() {
    return ruleScoresFailed.getCount();
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
    String model = service == null ? provider.key() : service.modelId();
    return new InferenceOutcome(
        task, model, text, finish, pYes == null ? new double[0] : pYes, t, error, nowMicros());
  }

  private static long nowMicros() {
    return System.currentTimeMillis() * 1000;
  }

  private CompletableFuture<Completion> withRetries(
      Supplier<CompletableFuture<Completion>> call, int retriesLeft) {
    return call.get()
        .handle(
            (c, e) -> {
              Throwable cause = e instanceof CompletionException ce ? ce.getCause() : e;
              if (cause instanceof RetriableInferenceException && retriesLeft > 0) {
                return CompletableFuture.supplyAsync(
                        () -> (Void) null,
                        CompletableFuture.delayedExecutor(
                            config.inference().retryDelay().toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(v -> withRetries(call, retriesLeft - 1));
              }
              return e == null
                  ? CompletableFuture.completedFuture(c)
                  : CompletableFuture.<Completion>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }
}
