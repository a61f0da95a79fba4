package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.avro.Answer;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.inference.GpuDevice;
import io.streamsight.vlm.operator.inference.InferenceService;
import io.streamsight.vlm.operator.inference.InferenceServices;
import io.streamsight.vlm.operator.inference.ModelProvider;
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
  private final ModelProvider provider;
  private final OperatorConfig config;
  private transient InferenceServices.Lease lease;
  private transient InferenceService service;

  public PastAnswerAsyncFunction(ModelProvider provider, OperatorConfig config) {
    this.provider = provider;
    this.config = config;
  }

  @Override
  public TypeInformation<Answer> getProducedType() {
    return AvroTypeInfo.forClass(Answer.class);
  }

  @Override
  public void open(OpenContext ctx) {
    lease =
        InferenceServices.lease(
            provider, GpuDevice.of(getRuntimeContext()).index(), config.inference());
    service = lease.service();
  }

  @Override
  public void close() {
    if (lease != null) {
      service = null;
      lease.close();
      lease = null;
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
    service
        .submit(request, q.cameraId(), InferenceService.NEVER_SHED, true)
        .whenComplete(
            (c, failure) -> {
              long done = System.currentTimeMillis() * 1000;
              if (failure != null) {
                out.complete(
                    List.of(PastAnswers.answered(p, null, failure.toString(), null, null, done)));
                return;
              }
              out.complete(
                  List.of(
                      PastAnswers.answered(
                          p,
                          c.result().text(),
                          c.result().error(),
                          service == null ? provider.key() : service.modelId(),
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
