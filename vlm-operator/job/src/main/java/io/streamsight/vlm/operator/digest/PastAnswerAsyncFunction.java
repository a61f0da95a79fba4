package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.avro.Answer;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.operator.config.ModelTask;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.inference.Completion;
import io.streamsight.vlm.operator.inference.GpuDevice;
import io.streamsight.vlm.operator.inference.InferenceService;
import io.streamsight.vlm.operator.inference.ModelPool;
import io.streamsight.vlm.operator.inference.ModelProvider;
import io.streamsight.vlm.operator.inference.Models;
import io.streamsight.vlm.operator.types.AvroTypeInfo;
import io.streamsight.vlm.operator.types.CallTimings;
import io.streamsight.vlm.operator.types.QueryIn;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Answers a question about the past with a text-only request ({@link PastAnswers}) through this
 * TaskManager's shared inference service, urgent like live questions (a person is waiting) and
 * never shed. A failure or timeout is an ERROR answer, never silence. Greedy decoding.
 */
public final class PastAnswerAsyncFunction extends RichAsyncFunction<PastQuestion, Answer>
    implements ResultTypeQueryable<Answer> {
  private static final long serialVersionUID = 1L;
  private final Models models;
  private final OperatorConfig config;
  private transient ModelPool pool;

  public PastAnswerAsyncFunction(ModelProvider provider, OperatorConfig config) {
    this(Models.single(provider), config);
  }

  /** Answers from the models named for {@code pastQuestions} (per camera). */
  public PastAnswerAsyncFunction(Models models, OperatorConfig config) {
    this.models = models;
    this.config = config;
  }

  @Override
  public TypeInformation<Answer> getProducedType() {
    return AvroTypeInfo.forClass(Answer.class);
  }

  @Override
  public void open(OpenContext ctx) {
    pool =
        ModelPool.open(
            models,
            models.forTask(config, ModelTask.PAST_QUESTIONS),
            GpuDevice.of(getRuntimeContext()).index(),
            config.inference(),
            getRuntimeContext().getMetricGroup().addGroup("inference"));
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  @Override
  public void asyncInvoke(PastQuestion p, ResultFuture<Answer> out) {
    QueryIn q = p.query();
    long now = System.currentTimeMillis() * 1000;
    if (q.deadlineMicros() > 0 && now > q.deadlineMicros()) {
      out.complete(List.of(PastAnswers.expired(p, now)));
      return;
    }
    VlmRequest request = PastAnswers.request(p, config.ask().maxNewTokens());
    if (request == null) {
      out.complete(List.of(PastAnswers.nothingRecorded(p, now)));
      return;
    }
    pool.submit(
            config.modelsFor(ModelTask.PAST_QUESTIONS, q.cameraId()),
            request,
            q.cameraId(),
            InferenceService.NEVER_SHED,
            true)
        .whenComplete(
            (routed, failure) -> {
              long done = System.currentTimeMillis() * 1000;
              if (failure != null || routed.unavailable()) {
                String why =
                    failure != null
                        ? failure.toString()
                        : "no model could answer: " + routed.completion().unavailable();
                out.complete(List.of(PastAnswers.answered(p, null, why, null, null, done)));
                return;
              }
              Completion c = routed.completion();
              out.complete(
                  List.of(
                      PastAnswers.answered(
                          p,
                          c.result().text(),
                          c.result().error(),
                          routed.modelId(),
                          CallTimings.of(c.result(), c.queueMillis()).toAvro(),
                          done)));
            });
  }

  @Override
  public void timeout(PastQuestion p, ResultFuture<Answer> out) {
    out.complete(
        List.of(
            PastAnswers.answered(
                p,
                null,
                "timed out after " + config.inference().timeout(),
                null,
                null,
                System.currentTimeMillis() * 1000)));
  }
}
