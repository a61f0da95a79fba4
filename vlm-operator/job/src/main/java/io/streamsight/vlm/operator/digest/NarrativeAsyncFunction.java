package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.DigestEvent;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.operator.config.ModelTask;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.inference.Completion;
import io.streamsight.vlm.operator.inference.GpuDevice;
import io.streamsight.vlm.operator.inference.InferenceService;
import io.streamsight.vlm.operator.inference.ModelPool;
import io.streamsight.vlm.operator.inference.ModelProvider;
import io.streamsight.vlm.operator.inference.Models;
import io.streamsight.vlm.operator.util.RateLimitedLog;
import io.streamsight.vlm.timeline.KeyframeMark;
import io.streamsight.vlm.timeline.Narrative;
import io.streamsight.vlm.timeline.TimelineEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the model's narrative to each digest ({@code digests.narrative: true}): the timeline as a
 * text-only request ({@link Narrative}) through this TaskManager's shared inference service of the
 * model named for narratives on the camera, so it batches with the window descriptions. Never shed
 * (a digest is one request per camera per period). A failure or timeout leaves the narrative null
 * (logged, counted by the log) rather than holding the digest back; an empty timeline is not sent.
 * Greedy decoding, so a replay after a restore writes the same narrative.
 */
public final class NarrativeAsyncFunction extends RichAsyncFunction<Digest, Digest> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(NarrativeAsyncFunction.class);
  private final Models models;
  private final OperatorConfig config;
  private transient ModelPool pool;
  private transient RateLimitedLog failures;

  public NarrativeAsyncFunction(ModelProvider provider, OperatorConfig config) {
    this(Models.single(provider), config);
  }

  /** Narratives from the models named for {@code narratives} (per camera). */
  public NarrativeAsyncFunction(Models models, OperatorConfig config) {
    this.models = models;
    this.config = config;
  }

  @Override
  public void open(OpenContext ctx) {
    pool =
        ModelPool.open(
            models,
            models.forTask(config, ModelTask.NARRATIVES),
            GpuDevice.of(getRuntimeContext()).index(),
            config.inference(),
            getRuntimeContext().getMetricGroup().addGroup("inference"));
    failures = new RateLimitedLog(LOG, Duration.ofMinutes(1), 1024);
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  @Override
  public void asyncInvoke(Digest d, ResultFuture<Digest> out) {
    VlmRequest request =
        Narrative.request(
            timeline(d), d.getPeriodStartMicros(), config.digests().narrativeMaxTokens());
    if (request == null) {
      out.complete(List.of(d));
      return;
    }
    pool.submit(
            config.modelsFor(ModelTask.NARRATIVES, d.getCameraId()),
            request,
            d.getCameraId(),
            InferenceService.NEVER_SHED,
            false)
        .whenComplete(
            (routed, failure) -> {
              Completion c = failure == null ? routed.completion() : null;
              boolean ok = c != null && !c.isUnavailable() && c.result().error() == null;
              String text = ok ? Narrative.text(c.result()) : "";
              if (!ok) {
                failures.warn(
                    "narrative:" + d.getCameraId(),
                    "camera "
                        + d.getCameraId()
                        + ": no narrative for the digest ending "
                        + d.getPeriodEndMicros()
                        + " us: "
                        + (failure != null
                            ? failure
                            : c.isUnavailable() ? c.unavailable() : c.result().error()));
              }
              out.complete(List.of(withNarrative(d, text, ok ? routed.modelId() : null)));
            });
  }

  @Override
  public void timeout(Digest d, ResultFuture<Digest> out) {
    failures.warn(
        "narrative-timeout:" + d.getCameraId(),
        "camera " + d.getCameraId() + ": narrative timed out; digest written without it");
    out.complete(List.of(d));
  }

  private static Digest withNarrative(Digest d, String text, String modelId) {
    Digest.Builder b = Digest.newBuilder(d);
    if (!text.isEmpty()) {
      b.setNarrative(text).setModelId(modelId);
    }
    return b.build();
  }

  /** The digest's events as the timeline classes see them. */
  static List<TimelineEvent> timeline(Digest d) {
    return d.getEvents().stream()
        .map(
            (DigestEvent e) ->
                new TimelineEvent(
                    e.getStartMicros(),
                    e.getEndMicros(),
                    e.getText(),
                    new KeyframeMark(e.getStartMicros(), ""),
                    1))
        .toList();
  }
}
