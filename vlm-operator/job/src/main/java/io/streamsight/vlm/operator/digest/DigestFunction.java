package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.avro.Digest;
import io.streamsight.vlm.operator.StateTtl;
import io.streamsight.vlm.operator.config.DigestConfig;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.types.AvroTypeInfo;
import io.streamsight.vlm.operator.util.RateLimitedLog;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per camera: window summaries, alerts and event-time ticks in, one {@link Digest} per digest
 * period out (rules in {@link DigestBook}). Everything is in keyed state, output happens only on
 * input or a timer, so with the transactional Kafka sink a restore from a checkpoint replays to the
 * same digests, each written once.
 *
 * <p>A camera's digest time is event time, never the wall clock by default:
 *
 * <ul>
 *   <li>a summary of a later window closes the periods before it (summaries of a camera arrive in
 *       window order: inference is ordered per subtask and keyed by camera);
 *   <li>a quiet camera has no later summary, so its keyframes' and the sampler's progress records'
 *       capture times also close periods, once they pass the end by {@code digests.lateness}: that
 *       much event time is left for inference to deliver the period's last summaries;
 *   <li>the end of a bounded input (Flink's final watermark) emits what is open;
 *   <li>optional ({@code digests.idleness}, off by default): after that much wall time without any
 *       input, time is extrapolated at wall speed, for keyframe producers without progress records.
 * </ul>
 *
 * Guards as in {@code CameraWindows}: a tick captured further than {@code
 * watermarks.maxAheadOfWallClock} ahead of the wall clock is ignored (that stage dead-letters the
 * keyframe), and a summary more than {@code watermarks.maxBackwardsStep} behind the camera's newest
 * one is a clock step back: what is open is emitted and the camera starts afresh.
 *
 * <p>State per camera: a few events per period length, alert ends, clocks; expires {@link
 * StateTtl#AFTER_LAST_WRITE} after the last update.
 */
public final class DigestFunction extends KeyedProcessFunction<String, DigestInput, Digest>
    implements ResultTypeQueryable<Digest> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DigestFunction.class);

  /** Only Flink's final watermark (end of a bounded input) reaches it. */
  private static final long END_OF_INPUT = Long.MAX_VALUE - 1;

  private final DigestConfig config;
  private final long latenessMicros;
  private final long aheadMillis;
  private final long stepMicros;
  private transient ValueState<CameraDigests> state;
  private transient DigestBook book;
  private transient Counter late;
  private transient Counter emitted;
  private transient RateLimitedLog warnings;

  public DigestFunction(OperatorConfig config) {
    this.config = config.digests();
    this.latenessMicros = micros(this.config.lateness());
    this.aheadMillis = config.watermarks().maxAheadOfWallClock().toMillis();
    this.stepMicros = micros(config.watermarks().maxBackwardsStep());
  }

  @Override
  public TypeInformation<Digest> getProducedType() {
    return AvroTypeInfo.forClass(Digest.class);
  }

  /** The state's descriptor (its type is a POJO: tests check it does not fall back to Kryo). */
  static ValueStateDescriptor<CameraDigests> descriptor() {
    ValueStateDescriptor<CameraDigests> d =
        new ValueStateDescriptor<>("camera-digests", TypeInformation.of(CameraDigests.class));
    d.enableTimeToLive(StateTtl.config());
    return d;
  }

  @Override
  public void open(OpenContext ctx) {
    state = getRuntimeContext().getState(descriptor());
    long[] periods = config.periods().stream().mapToLong(DigestFunction::micros).toArray();
    book =
        new DigestBook(
            SharedSimilarity.acquire(config.similarity()), periods, micros(config.foldGapsUpTo()));
    var g = getRuntimeContext().getMetricGroup().addGroup("digests");
    late = g.counter("lateRecords");
    emitted = g.counter("digestsEmitted");
    warnings = new RateLimitedLog(LOG, Duration.ofMinutes(1), 1024);
  }

  @Override
  public void close() {
    if (book != null) {
      book = null;
      SharedSimilarity.release(config.similarity());
    }
  }

  @Override
  public void processElement(DigestInput in, Context ctx, Collector<Digest> out) throws Exception {
    String camera = ctx.getCurrentKey();
    long now = ctx.timerService().currentProcessingTime();
    CameraDigests s = state.value();
    if (s == null) {
      s = book.fresh();
    }
    s.lastArrivalMillis = now;
    switch (in.kind()) {
      case WINDOW -> {
        if (s.summaryMicros != Long.MIN_VALUE && in.endMicros() < s.summaryMicros - stepMicros) {
          warnings.warn(
              "step:" + camera,
              "camera " + camera + ": summaries stepped back in time; digests start afresh");
          book.flush(s, camera, d -> emit(d, out));
          CameraDigests restarted = book.fresh();
          restarted.lastArrivalMillis = now;
          restarted.idleTimerMillis = s.idleTimerMillis;
          s = restarted;
        }
        s.summaryMicros = Math.max(s.summaryMicros, in.endMicros());
        if (book.window(s, in, d -> emit(d, out))) {
          late(camera, "summary", in);
        }
      }
      case ALERT -> {
        if (book.alert(s, in.endMicros())) {
          late(camera, "alert", in);
        }
      }
      case TIME -> {
        if (Math.floorDiv(in.endMicros(), 1000) - now > aheadMillis) {
          break; // a wrong clock: CameraWindows dead-letters that keyframe
        }
        if (s.frameMicros != Long.MIN_VALUE && in.endMicros() < s.frameMicros - stepMicros) {
          s.frameMicros = in.endMicros(); // clock step back: time restarts from here
        } else {
          s.frameMicros = Math.max(s.frameMicros, in.endMicros());
        }
        book.advance(s, camera, s.frameMicros - latenessMicros, d -> emit(d, out));
      }
    }
    ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
    if (config.idleness() != null && s.idleTimerMillis == 0) {
      s.idleTimerMillis = now + config.idleness().toMillis();
      ctx.timerService().registerProcessingTimeTimer(s.idleTimerMillis);
    }
    state.update(s);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Digest> out) throws Exception {
    CameraDigests s = state.value();
    if (s == null) {
      return;
    }
    String camera = ctx.getCurrentKey();
    if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
      book.flush(s, camera, d -> emit(d, out));
      state.update(s);
      return;
    }
    if (s.idleTimerMillis != timestamp) {
      return; // replaced by a newer one (e.g. after a restore)
    }
    long now = ctx.timerService().currentProcessingTime();
    long idle = config.idleness().toMillis();
    long quiet = now - s.lastArrivalMillis;
    if (quiet < idle) {
      s.idleTimerMillis = s.lastArrivalMillis + idle;
    } else {
      long t = s.newestMicros() + quiet * 1000 - latenessMicros;
      book.advance(s, camera, t, d -> emit(d, out));
      // Keep checking while a period waits to close; the next input arms the timer again.
      s.idleTimerMillis = book.hasActivePeriod(s) ? now + idle : 0;
    }
    if (s.idleTimerMillis != 0) {
      ctx.timerService().registerProcessingTimeTimer(s.idleTimerMillis);
    }
    state.update(s);
  }

  private void emit(Digest d, Collector<Digest> out) {
    emitted.inc();
    out.collect(d);
  }

  private void late(String camera, String what, DigestInput in) {
    late.inc();
    warnings.warn(
        "late:" + camera,
        "camera "
            + camera
            + ": "
            + what
            + " of the window ending "
            + in.endMicros()
            + " us arrived after its digest period closed (inference more than digests.lateness"
            + " behind the camera's keyframes?); it is in no digest");
  }

  static long micros(Duration d) {
    return d.toNanos() / 1000;
  }
}
